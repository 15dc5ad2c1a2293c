//! The few places SQLite and PostgreSQL differ. Everything else is one SQL.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    /// SQLite: create the file if it is missing.
    pub(crate) fn normalize_url(self, url: &str) -> String {
        match self {
            Engine::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        }
    }

    pub(crate) fn max_connections(self) -> u32 {
        match self {
            // Readers run side by side in WAL mode; writers queue on the store's lock.
            Engine::Sqlite => 8,
            Engine::Postgres => 16,
        }
    }

    /// Settings every new connection gets. SQLite: WAL so readers never wait
    /// for the writer; synchronous=FULL so an approved purchase is on disk
    /// before the till hears yes; foreign keys on; wait rather than fail when
    /// another process holds the write lock.
    pub(crate) fn connection_setup(self) -> &'static str {
        match self {
            Engine::Sqlite => {
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
            }
            Engine::Postgres => "SET TIME ZONE 'UTC'",
        }
    }

    /// A write transaction takes SQLite's write lock up front, never upgrading
    /// a read lock later (which can fail with SQLITE_BUSY under load).
    /// PostgreSQL stays at READ COMMITTED: the conditional updates are the guards.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
        }
    }

    /// Postings and journal entries are append-only; the engine refuses
    /// anything else, whatever code asks.
    pub(crate) fn append_only_guards(self) -> &'static str {
        match self {
            Engine::Sqlite => {
                "CREATE TRIGGER posting_append_only_u BEFORE UPDATE ON posting BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
                 CREATE TRIGGER posting_append_only_d BEFORE DELETE ON posting BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
                 CREATE TRIGGER journal_entry_append_only_u BEFORE UPDATE ON journal_entry BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
                 CREATE TRIGGER journal_entry_append_only_d BEFORE DELETE ON journal_entry BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;"
            }
            Engine::Postgres => {
                "CREATE FUNCTION saldo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
                 CREATE TRIGGER posting_append_only BEFORE UPDATE OR DELETE ON posting
                     FOR EACH ROW EXECUTE FUNCTION saldo_append_only();
                 CREATE TRIGGER journal_entry_append_only BEFORE UPDATE OR DELETE ON journal_entry
                     FOR EACH ROW EXECUTE FUNCTION saldo_append_only();"
            }
        }
    }

    /// How a job claim passes over rows another worker is claiming.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }

    /// Keeps two processes from migrating at once.
    pub(crate) fn migration_lock(self) -> Option<&'static str> {
        match self {
            Engine::Sqlite => None, // BEGIN IMMEDIATE already serializes.
            Engine::Postgres => Some("SELECT pg_advisory_xact_lock(7215001)"),
        }
    }
}
