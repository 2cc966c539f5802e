package models

// BackfillAttendeeLinkSecrets is migration 13's backfill, for its test.
var BackfillAttendeeLinkSecrets = backfillAttendeeLinkSecrets
