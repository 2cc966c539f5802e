// Agora's scripts only improve pages that already work without them.
