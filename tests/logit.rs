//! The logit acceptance rule: P(accept) = 1 / (1 + exp(−margin / T)).

use crate::common::{accepted, assert_binomial, scenario, simulate};

#[test]
fn logit_acceptance_follows_the_logistic_curve() {
    // (party, reservation, temperature)
    let parties: [(&str, f64, f64); 3] = [
        ("cool", 0.5, 0.05),
        ("warm", 0.3, 0.2),
        ("tiny", 0.75, 0.01),
    ];
    let points: [f64; 7] = [0.2, 0.4, 0.5, 0.55, 0.74, 0.76, 0.9];
    let mut src = String::from(
        "[scenario]\nname = \"logit\"\n[clauses.x]\nkind = \"range\"\nmin = 0.0\nmax = 1.0\n",
    );
    for (i, x) in points.iter().enumerate() {
        src += &format!("[proposals.p{i}]\nx = {x:?}\n");
    }
    for (name, r, t) in parties {
        src += &format!(
            "[parties.{name}]\nweights = {{ x = 1 }}\nvalues.x = {{ linear = {{ worst = 0.0, best = 1.0 }} }}\n\
             reservation = {r:?}\naccept = {{ logit = {{ temperature = {t:?} }} }}\n"
        );
    }
    let s = scenario(&src);
    let rounds = 200_000;
    let (tally, results) = simulate(&s, rounds, 99, Some(2));
    let mut interior = 0;
    for (d, x) in points.iter().enumerate() {
        let mut all = 1.0;
        for (p, (name, r, t)) in parties.iter().enumerate() {
            let m = x - r;
            let exact = 1.0 / (1.0 + (-m / t).exp());
            all *= exact;
            if exact > 0.01 && exact < 0.99 {
                interior += 1;
            }
            let k = accepted(&results, d, p);
            assert_binomial(
                k,
                rounds,
                exact,
                &format!("{name} (margin {m:.2}, T {t}) at x = {x}"),
            );
            assert_eq!(results[d].parties[p].accept.p, k as f64 / rounds as f64);
        }
        // Logit draws are independent across parties: agreement is the product.
        assert_binomial(
            tally.agree[d],
            rounds,
            all,
            &format!("agreement at x = {x}"),
        );
    }
    assert!(
        interior >= 8,
        "the grid should probe the curve, not only its tails"
    );
}

#[test]
fn logit_margin_zero_is_a_coin_flip_and_threshold_is_sharp() {
    let src = r#"
[scenario]
name = "coin"
[clauses.x]
kind = "range"
min = 0.0
max = 1.0
[proposals.at]
x = 0.5
[proposals.above]
x = 0.5000001
[parties.coin]
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = 0.5
accept = { logit = { temperature = 0.1 } }
[parties.sharp]
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = 0.5
accept = "threshold"
"#;
    let s = scenario(src);
    let rounds = 50_000;
    let (_, results) = simulate(&s, rounds, 4, Some(1));
    assert_binomial(accepted(&results, 0, 0), rounds, 0.5, "logit at margin 0");
    assert_eq!(
        accepted(&results, 0, 1),
        rounds,
        "threshold accepts at margin exactly 0"
    );
    assert_eq!(
        accepted(&results, 1, 1),
        rounds,
        "threshold accepts above the reservation"
    );
}
