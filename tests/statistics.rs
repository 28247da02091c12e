//! Seeded statistical tests of the sampler and the engine with far-tail thresholds: a failure
//! means a defect, not bad luck.

use accord::sim::{BLOCK_SIZE, WorldSampler, block_rng};

use crate::common::{
    Law, accepted, assert_binomial, bivariate_normal_cdf, correlation, ks_critical, ks_statistic,
    phi, phi_inv, scenario, simulate,
};

/// Every family, inside `[0, 1]` (sampled by rejection) and mostly outside it (sampled by
/// inverting the truncated CDF), upper and lower side.
const LAWS: [(&str, Law); 12] = [
    ("normal_inside", Law::Normal(0.4, 0.2)),
    ("normal_far_below", Law::Normal(-1.0, 0.25)),
    ("normal_above", Law::Normal(1.6, 0.3)),
    ("uniform_straddling", Law::Uniform(-0.5, 0.9)),
    ("uniform_mostly_above", Law::Uniform(0.8, 3.0)),
    ("triangular_inside", Law::Triangular(0.1, 0.3, 0.9)),
    ("triangular_mostly_below", Law::Triangular(-2.0, -1.0, 0.5)),
    ("beta_inside", Law::Beta(2.0, 5.0, 0.0, 1.0)),
    ("beta_mostly_above", Law::Beta(2.0, 3.0, 0.5, 4.0)),
    ("beta_u_shaped", Law::Beta(0.5, 0.5, 0.0, 1.0)),
    ("lognormal_inside", Law::LogNormal(-1.0, 0.5)),
    ("lognormal_mostly_above", Law::LogNormal(1.0, 0.5)),
];

/// One clause `x` on [0, 1]; every party values it linearly (utility = x) and has a reservation
/// drawn from one law; proposals at `points`.
fn family_scenario(laws: &[(&str, Law)], points: &[f64]) -> String {
    let mut s = String::from(
        "[scenario]\nname = \"families\"\n\n[clauses.x]\nkind = \"range\"\nmin = 0.0\nmax = 1.0\n\n",
    );
    for (i, x) in points.iter().enumerate() {
        s += &format!("[proposals.p{i}]\nx = {x:?}\n\n");
    }
    for (name, law) in laws {
        s += &format!(
            "[parties.{name}]\nweights = {{ x = 1 }}\nvalues.x = {{ linear = {{ worst = 0.0, best = 1.0 }} }}\n\
             reservation = {}\naccept = \"threshold\"\n\n",
            law.toml()
        );
    }
    s
}

#[test]
fn acceptance_is_the_truncated_cdf_for_every_family() {
    let points = [0.05, 0.3, 0.5, 0.7, 0.95];
    let s = scenario(&family_scenario(&LAWS, &points));
    let rounds = 200_000;
    let (tally, results) = simulate(&s, rounds, 11, Some(2));
    assert_eq!(tally.rounds, rounds);
    for (d, &x) in points.iter().enumerate() {
        for (p, (name, law)) in LAWS.iter().enumerate() {
            // Threshold rule: accept exactly when the reservation is at most x.
            let k = accepted(&results, d, p);
            assert_binomial(
                k,
                rounds,
                law.unit_cdf(x),
                &format!("{name} accepting x = {x}"),
            );
        }
    }
}

/// Samples `n` worlds and returns the draws of each uncertain parameter, by slot.
fn draws(s: &accord::model::Scenario, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let sampler = WorldSampler::new(s);
    let mut world = sampler.empty_world();
    let mut draws = sampler.empty_block();
    let mut out = vec![Vec::with_capacity(n); s.uncertain.len()];
    let block = BLOCK_SIZE as usize;
    for i in 0..n {
        if i % block == 0 {
            sampler.fill(&mut block_rng(seed, (i / block) as u64), block, &mut draws);
        }
        sampler.load(&draws, i % block, &mut world);
        for (o, v) in out.iter_mut().zip(&world.slots) {
            o.push(*v);
        }
    }
    out
}

fn slot_of(s: &accord::model::Scenario, path: &str) -> usize {
    s.uncertain
        .iter()
        .position(|u| u.path == path)
        .unwrap_or_else(|| {
            let known: Vec<&str> = s.uncertain.iter().map(|u| u.path.as_str()).collect();
            panic!("no uncertain parameter {path}; have {known:?}")
        })
}

#[test]
fn sampled_distributions_pass_ks_and_stay_in_range() {
    let s = scenario(&family_scenario(&LAWS, &[0.5]));
    let n = 40_000;
    let all = draws(&s, n, 3);
    for (name, law) in LAWS {
        let mut xs = all[slot_of(&s, &format!("{name}.reservation"))].clone();
        assert!(
            xs.iter().all(|x| (0.0..=1.0).contains(x)),
            "{name}: a draw left [0, 1]"
        );
        let d = ks_statistic(&mut xs, |x| law.unit_cdf(x));
        assert!(
            d < ks_critical(n),
            "{name}: KS statistic {d} above the 1e-6 critical value {}",
            ks_critical(n)
        );
    }
}

#[test]
fn sampled_moments_match_the_truncated_laws() {
    let laws = [
        ("n_mid", Law::Normal(0.5, 0.1)),
        ("n_edge", Law::Normal(0.9, 0.3)),
        ("u", Law::Uniform(0.2, 0.7)),
        ("t", Law::Triangular(0.0, 0.8, 1.0)),
        ("b", Law::Beta(2.0, 5.0, 0.0, 1.0)),
        ("ln", Law::LogNormal(-1.5, 0.3)),
    ];
    let s = scenario(&family_scenario(&laws, &[0.5]));
    let n = 50_000;
    let all = draws(&s, n, 5);
    for (name, law) in laws {
        let xs = &all[slot_of(&s, &format!("{name}.reservation"))];
        let nf = n as f64;
        let mean = xs.iter().sum::<f64>() / nf;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0);
        let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / nf;
        let (true_mean, true_var) = law.unit_moments();
        let se_mean = (var / nf).sqrt();
        let se_var = ((m4 - var * var) / nf).sqrt();
        assert!(
            (mean - true_mean).abs() < 6.0 * se_mean,
            "{name}: mean {mean} vs {true_mean} (se {se_mean})"
        );
        assert!(
            (var - true_var).abs() < 6.0 * se_var,
            "{name}: variance {var} vs {true_var} (se {se_var})"
        );
    }
    // The closed form of one truncated normal, as a check on the reference integration.
    let (a, b) = ((0.0 - 0.9) / 0.3, (1.0 - 0.9) / 0.3);
    let pdf = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let closed = 0.9 + 0.3 * (pdf(a) - pdf(b)) / (phi(b) - phi(a));
    assert!((Law::Normal(0.9, 0.3).unit_moments().0 - closed).abs() < 1e-9);
}

#[test]
fn a_normal_with_almost_no_mass_in_range_is_sampled_by_inversion() {
    // P(0 <= X <= 1) is about 1e-8: rejection would never finish; the draws must still follow
    // the truncated law and stay in [0, 1].
    let laws = [
        ("thin", Law::Normal(-1.4, 0.25)),
        ("thin_above", Law::Normal(2.1, 0.2)),
    ];
    let s = scenario(&family_scenario(&laws, &[0.05]));
    let n = 40_000;
    let all = draws(&s, n, 17);
    for (name, law) in laws {
        let mut xs = all[slot_of(&s, &format!("{name}.reservation"))].clone();
        assert!(
            xs.iter().all(|x| (0.0..=1.0).contains(x)),
            "{name}: a draw left [0, 1]"
        );
        let d = ks_statistic(&mut xs, |x| law.unit_cdf(x));
        assert!(d < ks_critical(n), "{name}: KS {d} vs {}", ks_critical(n));
    }
    // And through the engine: acceptance of x = 0.05 is the truncated CDF there.
    let (_, results) = simulate(&s, 100_000, 2, Some(2));
    for (p, (name, law)) in laws.iter().enumerate() {
        assert_binomial(accepted(&results, 0, p), 100_000, law.unit_cdf(0.05), name);
    }
}

const COPULA: &str = r#"
[scenario]
name = "copula"

[clauses.x]
kind = "range"
min = 0.0
max = 1.0

[proposals.even]
x = 0.5
[proposals.a_favoured]
x = 0.6
[proposals.b_favoured]
x = 0.4

[parties.a]
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = { normal = { mean = 0.5, sd = 0.1 } }

[parties.b]
weights = { x = 1 }
values.x = { linear = { worst = 1.0, best = 0.0 } }
reservation = { normal = { mean = 0.5, sd = 0.1 } }

[parties.c]
veto = false
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = { beta = { a = 2, b = 3 } }

[parties.d]
veto = false
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = { uniform = [0.2, 0.8] }

[[correlation]]
params = ["a.reservation", "b.reservation", "c.reservation"]
matrix = [[1.0, 0.8, -0.3], [0.8, 1.0, 0.0], [-0.3, 0.0, 1.0]]
"#;

#[test]
fn gaussian_copula_has_the_asked_correlations_and_keeps_the_marginals() {
    let s = scenario(COPULA);
    assert_eq!(s.correlations.len(), 1);
    let n = 50_000;
    let all = draws(&s, n, 8);
    let laws = [
        ("a", Law::Normal(0.5, 0.1)),
        ("b", Law::Normal(0.5, 0.1)),
        ("c", Law::Beta(2.0, 3.0, 0.0, 1.0)),
        ("d", Law::Uniform(0.2, 0.8)),
    ];
    let mut scores = Vec::new();
    for (name, law) in laws {
        let xs = &all[slot_of(&s, &format!("{name}.reservation"))];
        // Marginals are untouched by the copula.
        let d = ks_statistic(&mut xs.clone(), |x| law.unit_cdf(x));
        assert!(
            d < ks_critical(n),
            "{name}: marginal KS {d} vs {}",
            ks_critical(n)
        );
        // Normal scores: the copula's latent Gaussians.
        scores.push(
            xs.iter()
                .map(|&x| phi_inv(law.unit_cdf(x).clamp(1e-300, 1.0 - 1e-16)))
                .collect::<Vec<f64>>(),
        );
    }
    let pairs = [
        (0, 1, 0.8),
        (0, 2, -0.3),
        (1, 2, 0.0),
        (0, 3, 0.0),
        (2, 3, 0.0),
    ];
    for (i, j, rho) in pairs {
        let r = correlation(&scores[i], &scores[j]);
        let se = (1.0 - rho * rho) / ((n - 1) as f64).sqrt();
        assert!(
            (r - rho).abs() < 6.0 * se,
            "latent correlation ({i}, {j}) = {r}, expected {rho} (se {se})"
        );
    }
    // The values themselves: two near-normal marginals keep a Pearson correlation of 0.8.
    let r = correlation(
        &all[slot_of(&s, "a.reservation")],
        &all[slot_of(&s, "b.reservation")],
    );
    assert!((r - 0.8).abs() < 0.01, "sample correlation {r}");
}

#[test]
fn correlated_vetoes_agree_with_bivariate_normal_probability() {
    let s = scenario(COPULA);
    let rounds = 100_000;
    let (tally, results) = simulate(&s, rounds, 21, Some(2));
    let a = Law::Normal(0.5, 0.1);
    for (d, x) in [0.5, 0.6, 0.4].into_iter().enumerate() {
        // a accepts when its reservation <= x, b when its reservation <= 1 - x.
        let (pa, pb) = (a.unit_cdf(x), a.unit_cdf(1.0 - x));
        let exact = bivariate_normal_cdf(phi_inv(pa), phi_inv(pb), 0.8);
        let k = tally.agree[d];
        assert_binomial(k, rounds, exact, &format!("agreement at x = {x}"));
        // The test has power: independence would be far away.
        let se = (exact * (1.0 - exact) / rounds as f64).sqrt();
        assert!(
            (exact - pa * pb).abs() > 10.0 * se,
            "correlation should matter at x = {x}"
        );
        assert_eq!(results[d].agreement.n, rounds);
    }
    // At the centre the closed form is 1/4 + asin(ρ)/(2π).
    let centre = 0.25 + 0.8_f64.asin() / (2.0 * std::f64::consts::PI);
    assert!((bivariate_normal_cdf(0.0, 0.0, 0.8) - centre).abs() < 1e-9);
}
