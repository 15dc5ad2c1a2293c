//! Secrets a person types, stored as argon2 hashes: staff passwords and the
//! activation codes printed on blank cards. The cost is an operator setting
//! (tests turn it down: argon2 is slow in debug builds on purpose).

use std::sync::mpsc;
use std::sync::{Arc, LazyLock, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;

use crate::settings::SessionSettings;

#[derive(Debug, thiserror::Error)]
#[error("could not hash a secret: {0}")]
pub struct HashError(String);

/// How many secrets are hashed at once in the whole process. Each hash holds
/// its memory cost (19 MiB by default) while it runs, and the allocator keeps
/// a thread's memory after it: a few threads of our own, never the runtime's
/// workers or its blocking pool, keep that bounded however many log in at
/// once. The rest wait their turn (the request timeout bounds the wait).
pub const HASHING_THREADS: usize = 2;

type Job = Box<dyn FnOnce() + Send>;

static HASHERS: LazyLock<mpsc::Sender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..HASHING_THREADS {
        let queue = Arc::clone(&queue);
        let spawned = std::thread::Builder::new().name(format!("saldo-hash-{n}")).spawn(move || loop {
            let job = match queue.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => return,
            };
            match job {
                Ok(job) => job(),
                Err(_) => return,
            }
        });
        if let Err(e) = spawned {
            tracing::error!("could not start a hashing thread: {e}");
        }
    }
    jobs
});

/// Runs `work` on the hashing threads and waits for its answer. A caller
/// that gave up (its request timed out) is skipped, not hashed for.
async fn on_hashers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        if !answer.is_closed() {
            let _ = answer.send(work());
        }
    });
    HASHERS.send(job).map_err(|_| HashError("the hashing threads have stopped".into()))?;
    answered.await.map_err(|_| HashError("a hashing thread stopped mid-hash".into()))
}

fn params(settings: &SessionSettings) -> Result<Params, HashError> {
    Params::new(settings.hash_memory_kib.max(8), settings.hash_iterations.max(1), 1, None)
        .map_err(|e| HashError(e.to_string()))
}

fn hash_now(secret: &[u8], params: Params) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    let output = argon2_in_own_memory(Algorithm::Argon2id, Version::V0x13, params.clone(), secret, salt.as_salt())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| HashError(e.to_string()))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

// The cost is in the stored string, so a hash made at any cost verifies.
fn matches_now(secret: &[u8], stored: &str) -> bool {
    let expected = || -> Result<bool, HashError> {
        let parsed = PasswordHash::new(stored).map_err(|e| HashError(e.to_string()))?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return Ok(false) };
        let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| HashError(e.to_string()))?;
        let version = parsed.version.map(Version::try_from).transpose().map_err(|e| HashError(e.to_string()))?;
        let params = Params::try_from(&parsed).map_err(|e| HashError(e.to_string()))?;
        let computed = argon2_in_own_memory(algorithm, version.unwrap_or_default(), params, secret, salt)?;
        // Output's equality is constant-time.
        Ok(computed == expected)
    };
    expected().unwrap_or(false)
}

thread_local! {
    // Each hashing thread keeps one block of memory at the largest cost it
    // has met, instead of asking the allocator for 19 MiB per check (which
    // glibc keeps per thread after it, in fragments).
    static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn argon2_in_own_memory(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    secret: &[u8],
    salt: Salt<'_>,
) -> Result<Output, HashError> {
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).map_err(|e| HashError(e.to_string()))?;
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let needed = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() < needed {
            blocks.resize(needed, Block::default());
        }
        Output::init_with(len, |out| {
            Ok(argon2.hash_password_into_with_memory(secret, salt, out, &mut blocks[..needed])?)
        })
        .map_err(|e| HashError(e.to_string()))
    })
}

/// The PHC string to store for `secret`, at the operator's cost.
pub async fn hash(secret: &str, settings: &SessionSettings) -> Result<String, HashError> {
    hash_with(secret, params(settings)?).await
}

/// The PHC string to store for `secret`, at a cost of the caller's.
pub async fn hash_with(secret: &str, params: Params) -> Result<String, HashError> {
    let secret = secret.as_bytes().to_vec();
    on_hashers(move || hash_now(&secret, params)).await?
}

/// One PHC string per secret, in order; the hashing threads share the work.
pub async fn hash_each(secrets: &[String], settings: &SessionSettings) -> Result<Vec<String>, HashError> {
    let params = params(settings)?;
    let (answers, answered) = tokio::sync::mpsc::unbounded_channel();
    for (n, secret) in secrets.iter().enumerate() {
        let (secret, params, answers) = (secret.as_bytes().to_vec(), params.clone(), answers.clone());
        let job: Job = Box::new(move || {
            let _ = answers.send((n, hash_now(&secret, params)));
        });
        HASHERS.send(job).map_err(|_| HashError("the hashing threads have stopped".into()))?;
    }
    drop(answers);
    let mut answered = answered;
    let mut hashes = vec![String::new(); secrets.len()];
    for _ in 0..secrets.len() {
        let (n, hash) = answered.recv().await.ok_or_else(|| HashError("a hashing thread stopped mid-hash".into()))?;
        hashes[n] = hash?;
    }
    Ok(hashes)
}

/// Whether `secret` matches a stored hash.
pub async fn verify(secret: &str, stored: &str) -> Result<bool, HashError> {
    let (secret, stored) = (secret.as_bytes().to_vec(), stored.to_owned());
    on_hashers(move || matches_now(&secret, &stored)).await
}

/// The first of `stored` that `secret` matches (a PIN among a sales point's).
pub async fn first_match(secret: &str, stored: Vec<String>) -> Result<Option<usize>, HashError> {
    let secret = secret.as_bytes().to_vec();
    on_hashers(move || stored.iter().position(|h| matches_now(&secret, h))).await
}

/// Letters and digits nobody mistakes for each other (no I, O, 0, 1): 32 symbols.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new activation code, as printed: `XXXX-XXXX` (40 random bits; guessing
/// is stopped by the attempt limits, not by length alone).
pub fn new_activation_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let symbols: String = (0..8).map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())])).collect();
    format!("{}-{}", &symbols[..4], &symbols[4..])
}

/// A typed or scanned code in the form it is hashed in: upper case, no spaces or dashes.
pub fn normalize_code(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn light() -> SessionSettings {
        SessionSettings { hash_memory_kib: 64, hash_iterations: 1, ..SessionSettings::default() }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_secret_only() {
        let stored = hash("demo-kontor", &light()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("demo-kontor", &stored).await.unwrap());
        assert!(!verify("demo-kontoR", &stored).await.unwrap());
        assert!(!verify("demo-kontor", "not a hash").await.unwrap());
        let each = hash_each(&["a".into(), "b".into(), "c".into()], &light()).await.unwrap();
        assert_eq!(first_match("c", each.clone()).await.unwrap(), Some(2));
        assert_eq!(first_match("d", each).await.unwrap(), None);
    }

    #[tokio::test]
    async fn hashes_agree_with_the_argon2_crates_own() {
        // Stored hashes from before (and from the old system's import) verify, and ours are standard PHC.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let theirs = Argon2::default().hash_password(b"gammel", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        assert!(verify("gammel", &theirs).await.unwrap());
        assert!(!verify("gammeL", &theirs).await.unwrap());
        let ours = hash("ny-kode", &light()).await.unwrap();
        assert!(Argon2::default().verify_password(b"ny-kode", &PasswordHash::new(&ours).unwrap()).is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_checks_runs_on_the_hashing_threads_only() {
        // 30 at once, as a burst of wrong logins: the threads doing the
        // hashing are ours, and never more of them than HASHING_THREADS.
        let stored = hash("rigtigt", &light()).await.unwrap();
        let names = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let checks = (0..30).map(|_| {
            let (stored, names) = (stored.clone(), Arc::clone(&names));
            tokio::spawn(async move {
                let seen = on_hashers(move || {
                    let name = std::thread::current().name().unwrap_or_default().to_owned();
                    (name, matches_now(b"forkert", &stored))
                });
                let (name, matched) = seen.await.unwrap();
                names.lock().unwrap().insert(name);
                matched
            })
        });
        for check in checks.collect::<Vec<_>>() {
            assert!(!check.await.unwrap());
        }
        let names = names.lock().unwrap();
        assert!(names.len() <= HASHING_THREADS, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("saldo-hash-")), "{names:?}");
    }

    #[test]
    fn codes_are_printed_grouped_and_read_back_loosely() {
        let code = new_activation_code();
        assert_eq!(code.len(), 9);
        assert!(normalize_code(&code).bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalize_code(" abcd-efgh "), "ABCDEFGH");
    }
}
