package models

import (
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// CopyReport says how many rows each table received.
type CopyReport map[string]int64

// CopyDatabase moves every row of a SQLite installation into an empty,
// migrated PostgreSQL database: the path from one machine to scale-out.
// Tables are copied parents first (from SQLite's foreign keys), in batches,
// inside one transaction on the target, and the id sequences are moved past
// the copied ids so new rows do not collide.
func CopyDatabase(src, dst *gorm.DB) (CopyReport, error) {
	if IsPostgres(src) || !IsPostgres(dst) {
		return nil, fmt.Errorf("copy: the source must be SQLite and the target PostgreSQL")
	}
	tables, err := sqliteTablesInDependencyOrder(src)
	if err != nil {
		return nil, err
	}
	for _, t := range []string{"organizations", "users", "events"} {
		var n int64
		if err := dst.Table(t).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("copy: target not migrated: %w", err)
		}
		if n > 0 {
			return nil, fmt.Errorf("copy: the target already holds %s; use an empty database", t)
		}
	}
	report := CopyReport{}
	err = dst.Transaction(func(tx *gorm.DB) error {
		for _, t := range tables {
			n, err := copyTable(src, tx, t)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			report[t] = n
		}
		return resetSequences(tx, tables)
	})
	return report, err
}

// sqliteTablesInDependencyOrder lists the application's tables so that every
// table comes after the tables its foreign keys point to.
func sqliteTablesInDependencyOrder(db *gorm.DB) ([]string, error) {
	var names []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_versions' ORDER BY name").
		Scan(&names).Error; err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for _, n := range names {
		var fks []struct{ Table string }
		if err := db.Raw(fmt.Sprintf("SELECT \"table\" FROM pragma_foreign_key_list('%s')", n)).Scan(&fks).Error; err != nil {
			return nil, err
		}
		for _, fk := range fks {
			if fk.Table != n {
				deps[n] = append(deps[n], fk.Table)
			}
		}
	}
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("copy: foreign keys form a cycle at %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		for _, d := range deps[n] {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[n] = 2
		order = append(order, n)
		return nil
	}
	sort.Strings(names)
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// copyTable streams a table's rows in batches, converting SQLite's loose
// types (0/1 for booleans) to what each PostgreSQL column expects.
func copyTable(src, dst *gorm.DB, table string) (int64, error) {
	cols, err := dst.Migrator().ColumnTypes(table)
	if err != nil {
		return 0, err
	}
	isBool, isBytes := map[string]bool{}, map[string]bool{}
	for _, c := range cols {
		isBool[c.Name()] = strings.HasPrefix(strings.ToLower(c.DatabaseTypeName()), "bool")
		isBytes[c.Name()] = strings.EqualFold(c.DatabaseTypeName(), "bytea") // pictures (image.go)
	}
	rows, err := src.Table(table).Rows()
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		batch []map[string]any
		total int64
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := dst.Table(table).Create(&batch).Error; err != nil {
			return err
		}
		total += int64(len(batch))
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		row := map[string]any{}
		if err := src.ScanRows(rows, &row); err != nil {
			return 0, err
		}
		for k, v := range row {
			if isBool[k] && v != nil {
				row[k] = sqliteBool(v)
			}
			if s, ok := v.(string); ok && isBytes[k] {
				row[k] = []byte(s) // SQLite hands a blob back as text; PostgreSQL wants bytes
			}
		}
		batch = append(batch, row)
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return total, flush()
}

// resetSequences moves each serial id past the highest copied id.
func resetSequences(tx *gorm.DB, tables []string) error {
	for _, t := range tables {
		if !tx.Migrator().HasColumn(t, "id") {
			continue
		}
		var seq *string
		if err := tx.Raw("SELECT pg_get_serial_sequence(?, 'id')", t).Scan(&seq).Error; err != nil {
			return err
		}
		if seq == nil || *seq == "" {
			continue
		}
		if err := tx.Exec(fmt.Sprintf("SELECT setval('%s', COALESCE((SELECT MAX(id) FROM %q), 0) + 1, false)", *seq, t)).Error; err != nil {
			return err
		}
	}
	return nil
}

// sqliteBool reads SQLite's stored form of a boolean, whichever Go type the
// driver scanned it into.
func sqliteBool(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case []byte:
		return sqliteBool(string(b))
	case string:
		return b == "1" || strings.EqualFold(b, "true")
	default:
		return fmt.Sprint(b) != "0"
	}
}
