//! Chapter 1, passwords: "Passwords are never stored in clear text, only a hash made with a
//! unique salt." Sign-up checks the new password against the policy, stores only an argon2id
//! hash, and login verifies it, upgrading the stored hash when the service raises its costs.

use tillit::password::{Params, PasswordHasher, PasswordPolicy, Verification};

pub fn chapter() -> Result<(), Box<dyn std::error::Error>> {
    println!("\n1. Passwords");
    let policy = PasswordPolicy::default();
    let email = "kari.nordmann@example.no";

    // Sign-up: the policy names every rule a refused password breaks.
    for refused in ["password1", email] {
        let rules: Vec<&str> = policy
            .check(refused, Some(refused), &[email])
            .iter()
            .map(|v| v.rule.name())
            .collect();
        println!("   sign-up with {refused:?} refused: {}", rules.join(", "));
    }
    let password = "violet kettle under the bridge";
    assert!(
        policy
            .check(password, Some(password), &[email, "Kari Nordmann"])
            .is_empty()
    );

    // Last year's settings were weaker; this year's are OWASP's minimum.
    let last_year = PasswordHasher::new(Params::new(9216, 1, 1)?)?;
    let hasher = PasswordHasher::new(Params::OWASP)?;
    let mut stored = last_year.hash(password)?;
    println!("   stored (no clear text, own salt): {stored}");

    // Login upgrades the weaker hash; the next login finds it current.
    if let Verification::ValidNeedsUpgrade { new_hash } = hasher.verify(password, &stored)? {
        println!("   login accepted; hash upgraded to {new_hash}");
        stored = new_hash;
    }
    assert_eq!(hasher.verify(password, &stored)?, Verification::Valid);
    assert_eq!(
        hasher.verify("wrong guess", &stored)?,
        Verification::Invalid
    );

    // An unknown e-mail costs the same work and is never valid, so logins reveal no accounts.
    assert!(!hasher.verify_unknown_user(password)?.is_valid());
    println!("   wrong passwords and unknown e-mails are refused alike");
    Ok(())
}
