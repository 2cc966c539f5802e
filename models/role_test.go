package models

import "testing"

// Each role may do what the ones below it may; unknown roles grant nothing.
func TestHasRoleOrdersTheRoles(t *testing.T) {
	for _, c := range []struct {
		role, min string
		want      bool
	}{
		{RoleCheckin, RoleCheckin, true}, {RoleCheckin, RoleManager, false}, {RoleCheckin, RoleOwner, false},
		{RoleManager, RoleCheckin, true}, {RoleManager, RoleManager, true}, {RoleManager, RoleOwner, false},
		{RoleOwner, RoleCheckin, true}, {RoleOwner, RoleManager, true}, {RoleOwner, RoleOwner, true},
		{"", RoleCheckin, false}, {"admin", RoleCheckin, false}, {RoleOwner, "", false}, {RoleOwner, "superuser", false},
	} {
		if got := (Membership{Role: c.role}).HasRole(c.min); got != c.want {
			t.Errorf("%q HasRole(%q) = %v, want %v", c.role, c.min, got, c.want)
		}
	}
	if (Membership{Role: RoleManager}).CanManageTeam() || !(Membership{Role: RoleManager}).CanEditEvents() || (Membership{Role: RoleCheckin}).CanEditEvents() {
		t.Error("CanEditEvents/CanManageTeam disagree with the role order")
	}
}
