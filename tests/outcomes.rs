//! `accord analyse`: the Pareto frontier against brute force on every space small enough to
//! enumerate (2 to 4 parties, ties everywhere), the solution points against their
//! definitions and the closed forms of REFERENCES.md, the limits on size, and `--power`.

use accord::analysis::outcomes::{Analysis, Options, Space, analyse_with};
use accord::model::DealSpace;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{accord, accord_in, repo_file, scenario, shared_data, temp_with};

/// The needed parties' utilities of an outcome.
fn needed_utilities(space: &Space, o: &[usize]) -> Vec<f64> {
    let u = space.utilities(o);
    space.needed_parties().iter().map(|&p| u[p]).collect()
}

fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a != b
}

/// A random scenario whose utilities are exact in binary (weights in eighths summing to 1,
/// values in quarters), so ties are exact and brute force compares without tolerance.
fn random_scenario(rng: &mut ChaCha8Rng, parties: usize) -> String {
    let clauses = rng.random_range(1..=4);
    let mut s = String::from("[scenario]\nname = \"random\"\n\n");
    let mut options: Vec<Option<usize>> = Vec::new();
    for c in 0..clauses {
        if rng.random_bool(0.25) {
            s.push_str(&format!("[clauses.c{c}]\nkind = \"bool\"\n\n"));
            options.push(None);
        } else {
            let n = rng.random_range(1..=4);
            let names: Vec<String> = (0..n).map(|k| format!("\"o{k}\"")).collect();
            s.push_str(&format!(
                "[clauses.c{c}]\nkind = \"choice\"\noptions = [{}]\n\n",
                names.join(", ")
            ));
            options.push(Some(n));
        }
    }
    // Ratify needs a proposal to put; analyse ignores it.
    s.push_str("[proposals.first]\n");
    for (c, opts) in options.iter().enumerate() {
        match opts {
            None => s.push_str(&format!("c{c} = false\n")),
            Some(_) => s.push_str(&format!("c{c} = \"o0\"\n")),
        }
    }
    s.push('\n');
    let veto: Vec<bool> = {
        let mut v: Vec<bool> = (0..parties).map(|_| rng.random_bool(0.75)).collect();
        if !v.iter().any(|&x| x) {
            v[0] = true;
        }
        v
    };
    for (p, &veto) in veto.iter().enumerate() {
        // Eight eighths of weight spread over the clauses (some get none).
        let mut eighths = vec![0u32; clauses];
        for _ in 0..8 {
            eighths[rng.random_range(0..clauses)] += 1;
        }
        let weights: Vec<String> = eighths
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > 0)
            .map(|(c, w)| format!("c{c} = {}", *w as f64 / 8.0))
            .collect();
        s.push_str(&format!(
            "[parties.p{p}]\nveto = {veto}\nreservation = {}\nweights = {{ {} }}\n",
            rng.random_range(0..4) as f64 / 8.0,
            weights.join(", ")
        ));
        for (c, opts) in options.iter().enumerate() {
            let mut quarter = || rng.random_range(0..=4) as f64 / 4.0;
            let table: Vec<String> = match opts {
                None => vec![
                    format!("true = {}", quarter()),
                    format!("false = {}", quarter()),
                ],
                Some(n) => (0..*n).map(|k| format!("o{k} = {}", quarter())).collect(),
            };
            s.push_str(&format!(
                "values.c{c} = {{ table = {{ {} }} }}\n",
                table.join(", ")
            ));
        }
        s.push('\n');
    }
    s
}

/// Checks an analysis against brute force over every outcome of `space`.
fn check_against_brute_force(space: &Space, a: &Analysis, power: &[f64], what: &str) {
    let needed = space.needed_parties();
    let d: Vec<f64> = needed.iter().map(|&p| space.reservations[p]).collect();
    let all: Vec<(Vec<usize>, Vec<f64>)> = space
        .every_outcome()
        .into_iter()
        .map(|o| {
            let u = needed_utilities(space, &o);
            (o, u)
        })
        .collect();
    assert_eq!(a.outcomes, all.len() as u128, "{what}");

    // The frontier: exactly the undominated outcomes, grouped by utilities.
    let mut pareto: Vec<Vec<usize>> = all
        .iter()
        .filter(|(_, u)| !all.iter().any(|(_, v)| dominates(v, u)))
        .map(|(o, _)| o.clone())
        .collect();
    pareto.sort();
    let mut ours: Vec<Vec<usize>> = Vec::new();
    for (i, e) in a.frontier.iter().enumerate() {
        let mut n = 0u128;
        let eu: Vec<f64> = needed.iter().map(|&p| e.utilities[p]).collect();
        a.for_each_outcome(i, &mut |o| {
            assert_eq!(needed_utilities(space, o), eu, "{what}: entry {i}");
            ours.push(o.to_vec());
            n += 1;
            true
        });
        assert_eq!(n, e.count, "{what}: entry {i}'s count");
        assert_eq!(space.utilities(&a.outcome(i)), e.utilities, "{what}");
    }
    ours.sort();
    assert_eq!(ours, pareto, "{what}: frontier");
    let mut points: Vec<Vec<f64>> = all
        .iter()
        .filter(|(o, _)| pareto.binary_search(o).is_ok())
        .map(|(_, u)| u.clone())
        .collect();
    points.sort_by(|x, y| x.partial_cmp(y).unwrap());
    points.dedup();
    assert_eq!(a.pareto_points(), points.len(), "{what}: distinct points");

    // The solution points against their definitions over every outcome.
    let rational: Vec<&Vec<f64>> = all
        .iter()
        .map(|(_, u)| u)
        .filter(|u| u.iter().zip(&d).all(|(u, d)| u >= d))
        .collect();
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(1.0);
    let check_point = |p: &accord::analysis::outcomes::Point, which: &str| {
        let u = needed_utilities(space, &p.entry.map(|i| a.outcome(i)).unwrap());
        let pu: Vec<f64> = needed.iter().map(|&q| p.utilities[q]).collect();
        assert_eq!(u, pu, "{what}: {which}'s utilities are its deal's");
        assert!(
            p.exact,
            "{what}: {which} on a space without a grid is exact"
        );
        pu
    };
    if rational.is_empty() {
        assert!(a.nash.is_none() && a.kalai_smorodinsky.is_none(), "{what}");
        assert!(a.max_welfare.is_none() && a.ideal.is_none(), "{what}");
    } else {
        let ideal: Vec<f64> = (0..needed.len())
            .map(|k| rational.iter().map(|u| u[k]).fold(f64::MIN, f64::max))
            .collect();
        assert_eq!(a.ideal.as_ref(), Some(&ideal), "{what}: ideal");
        // Nash: the largest weighted product (compared in logs), reported as the plain one.
        let log = |u: &[f64]| -> f64 {
            u.iter()
                .zip(&d)
                .zip(power)
                .map(|((u, d), a)| a * (u - d).ln())
                .sum()
        };
        let best = rational
            .iter()
            .map(|u| log(u))
            .fold(f64::NEG_INFINITY, f64::max);
        let nash = a.nash.as_ref().expect("a Nash point");
        let nu = check_point(nash, "nash");
        let got = log(&nu);
        assert!(
            got == best || (got - best).abs() <= 1e-12 * best.abs().max(1.0),
            "{what}: Nash {got} vs {best}"
        );
        let plain: f64 = nu.iter().zip(&d).map(|(u, d)| u - d).product();
        assert!(close(nash.value, plain), "{what}");
        // Textbook KS: the largest smallest fraction of the possible gain.
        let frac = |u: &[f64]| -> f64 {
            u.iter()
                .zip(&d)
                .zip(&ideal)
                .map(|((u, d), a)| {
                    if a - d <= 1e-12 {
                        1.0
                    } else {
                        (u - d) / (a - d)
                    }
                })
                .fold(f64::INFINITY, f64::min)
        };
        let best = rational.iter().map(|u| frac(u)).fold(f64::MIN, f64::max);
        let ks = a.kalai_smorodinsky.as_ref().expect("a KS point");
        let ku = check_point(ks, "kalai_smorodinsky");
        assert!(close(frac(&ku), best), "{what}: KS {} vs {best}", frac(&ku));
        // Ties go to the higher welfare.
        let top = rational
            .iter()
            .filter(|u| close(frac(u), best))
            .map(|u| u.iter().sum::<f64>())
            .fold(f64::MIN, f64::max);
        assert!(close(ku.iter().sum(), top), "{what}: KS tie to welfare");
        // Welfare over the rational outcomes.
        let best = rational
            .iter()
            .map(|u| u.iter().sum::<f64>())
            .fold(f64::MIN, f64::max);
        let sw = a.max_welfare.as_ref().expect("a welfare point");
        let su = check_point(sw, "max_welfare");
        assert!(su.iter().zip(&d).all(|(u, d)| u >= d), "{what}: rational");
        assert!(close(su.iter().sum(), best), "{what}: welfare");
    }
    // GENIUS KS: the smallest sum of gaps over the Pareto set, rational or not.
    let gap = |u: &[f64]| -> f64 {
        let mut g = 0.0;
        for i in 0..u.len() {
            for j in i + 1..u.len() {
                g += (u[i] - u[j]).abs();
            }
        }
        g
    };
    let best = points.iter().map(|u| gap(u)).fold(f64::MAX, f64::min);
    let gu = check_point(&a.genius_ks, "genius_ks");
    assert!(close(gap(&gu), best), "{what}: GENIUS KS");
    assert!(points.contains(&gu), "{what}: GENIUS KS is Pareto-optimal");
}

#[test]
fn frontier_and_points_match_brute_force_on_random_spaces() {
    let mut rng = ChaCha8Rng::seed_from_u64(2025);
    let mut nonempty = [0; 3];
    for case in 0..240 {
        let parties = 2 + case % 3;
        let text = random_scenario(&mut rng, parties);
        let s = scenario(&text);
        let space = Space::from_scenario(&s, 11).unwrap();
        let power: Vec<f64> = if case % 4 == 0 {
            let raw: Vec<f64> = space
                .needed_parties()
                .iter()
                .map(|_| rng.random_range(1..=5) as f64)
                .collect();
            let total: f64 = raw.iter().sum();
            raw.iter().map(|x| x / total).collect()
        } else {
            let n = space.needed_parties().len();
            vec![1.0 / n as f64; n]
        };
        let a = analyse_with(
            &space,
            &Options {
                power: Some(power.clone()),
                ..Options::default()
            },
        )
        .unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
        check_against_brute_force(&space, &a, &power, &format!("case {case}\n{text}"));
        if a.nash.is_some() {
            nonempty[parties - 2] += 1;
        }
    }
    // The property is not vacuous: many cases have rational outcomes, for every size.
    assert!(nonempty.iter().all(|&n| n > 20), "{nonempty:?}");
}

#[test]
fn ties_are_one_entry_with_a_count_and_every_deal() {
    // Clause `colour` matters to nobody; `size` has two options equal for both parties.
    let s = scenario(
        r#"
[scenario]
name = "ties"
[clauses.price]
kind = "choice"
options = ["low", "mid", "high"]
[clauses.size]
kind = "choice"
options = ["s", "m", "l"]
[clauses.colour]
kind = "choice"
options = ["red", "green", "blue", "black"]
[proposals.first]
price = "low"
size = "s"
colour = "red"
[parties.buyer]
reservation = 0
weights = { price = 0.5, size = 0.5 }
values.price = { table = { low = 1.0, mid = 0.5, high = 0.0 } }
values.size = { table = { s = 0.0, m = 1.0, l = 1.0 } }
[parties.seller]
reservation = 0
weights = { price = 0.5, size = 0.5 }
values.price = { table = { low = 0.0, mid = 0.5, high = 1.0 } }
values.size = { table = { s = 1.0, m = 0.5, l = 0.5 } }
"#,
    );
    let space = Space::from_scenario(&s, 11).unwrap();
    let a = analyse_with(&space, &Options::default()).unwrap();
    let n = space.needed_parties().len();
    check_against_brute_force(&space, &a, &vec![1.0 / n as f64; n], "ties");
    // Every entry with size m or l holds both, times the four colours: counts of 8.
    assert!(a.frontier.iter().any(|e| e.count == 8), "{:?}", a.frontier);
    let r = accord(&[
        "analyse",
        repo_file("scenarios/fearon.toml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn one_grid_rule_for_analyse_and_the_protocols() {
    // An integer range of 21 whole numbers is enumerated value by value by both; the
    // protocols add the proposal's off-grid value of the real range.
    let text = r#"
[scenario]
name = "grid"
[clauses.days]
kind = "range"
min = 0
max = 20
integer = true
[clauses.share]
kind = "range"
min = 0
max = 1
[proposals.start]
days = 7
share = 0.55
[parties.a]
reservation = 0
weights = { days = 1, share = 1 }
values.days = { linear = { worst = 0, best = 20 } }
values.share = { linear = { worst = 0, best = 1 } }
tactic = { kind = "time", e = 1 }
[parties.b]
reservation = 0
weights = { days = 1, share = 1 }
values.days = { linear = { worst = 20, best = 0 } }
values.share = { linear = { worst = 1, best = 0 } }
[protocol]
kind = "alternating"
resolution = 5
deadline = 10
"#;
    let s = scenario(text);
    let space = Space::from_scenario(&s, 5).unwrap();
    let plain = DealSpace::new(&s.clauses, 5, &[]).unwrap();
    for (a, d) in space.axes.iter().zip(plain.axes()) {
        assert_eq!(a.values, d.values(), "{}", a.name);
        assert_eq!(a.grid, d.is_gridded());
    }
    assert_eq!(space.axes[0].values.len(), 21);
    assert_eq!(space.axes[1].values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    // `accord check` counts the protocols' space: 21 days × 6 shares (0.55 added).
    let dir = temp_with("grid.toml", text);
    let r = accord_in(dir.path(), &["check", "grid.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(126 outcomes)"), "{}", r.stdout);
}

/// A linear pie: u_a = x, u_b = 1 − x on x ∈ [0, 1] (S = 1).
const PIE: &str = r#"
[scenario]
name = "linear pie"
[clauses.x]
kind = "range"
min = 0
max = 1
[proposals.half]
x = 0.5
[parties.a]
weights = { x = 1 }
values.x = { linear = { worst = 0, best = 1 } }
reservation = 0.2
[parties.b]
weights = { x = 1 }
values.x = { linear = { worst = 1, best = 0 } }
reservation = 0.1
"#;

fn json(dir: &tempfile::TempDir, args: &[&str]) -> serde_json::Value {
    let r = accord_in(dir.path(), args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON")
}

#[test]
fn nash_with_power_on_a_linear_pie_is_the_closed_form() {
    // REFERENCES.md: x₁ = d₁ + α₁(S − d₁ − d₂); d = (0.2, 0.1).
    let dir = temp_with("pie.toml", PIE);
    for (a1, power) in [
        (0.5, None),
        (0.3, Some("a=0.3,b=0.7")),
        (0.8, Some("a=4,b=1")),
        (0.123, Some("b=0.877, a=0.123")),
    ] {
        let mut args = vec!["analyse", "pie.toml", "--format", "json"];
        if let Some(p) = power {
            args.extend(["--power", p]);
        }
        let v = json(&dir, &args);
        let x = v["nash"]["deal"]["x"].as_f64().unwrap();
        let want = 0.2 + a1 * (1.0 - 0.2 - 0.1);
        assert!((x - want).abs() < 1e-9, "α₁ = {a1}: x = {x}, want {want}");
        assert_eq!(v["nash"]["exact"], true);
        assert_eq!(v["solution_points"], "exact");
        assert!((v["parties"][0]["power"].as_f64().unwrap() - a1).abs() < 1e-12);
        // KS on a linear pie is Nash with equal powers: 0.55, whatever the powers.
        let ks = v["kalai_smorodinsky"]["deal"]["x"].as_f64().unwrap();
        assert!((ks - 0.55).abs() < 1e-9, "{ks}");
    }
    // A grid of 11 points holds 0.55 but not 0.41: the exact point is off the grid.
    let v = json(
        &dir,
        &[
            "analyse", "pie.toml", "--format", "json", "--power", "a=3,b=7",
        ],
    );
    assert!((v["nash"]["deal"]["x"].as_f64().unwrap() - 0.41).abs() < 1e-9);
}

#[test]
fn fearon_points_are_exact_off_the_grid() {
    // d = (0.5, 0.25): ideal (0.75, 0.5); Nash and KS at x = 0.625, off the 11-point grid.
    let v = json(
        &temp_with("x", ""),
        &[
            "analyse",
            repo_file("scenarios/fearon.toml").to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    for point in ["nash", "kalai_smorodinsky"] {
        let x = v[point]["deal"]["share_a"].as_f64().unwrap();
        assert!((x - 0.625).abs() < 1e-12, "{point}: {x}");
        assert_eq!(v[point]["exact"], true, "{point}");
        assert!(v[point].get("grid_error").is_none());
    }
    assert!((v["parties"][0]["ideal"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    assert!((v["parties"][1]["ideal"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!((v["kalai_smorodinsky"]["min_fraction"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    // Every split in the range has welfare 1: welfare is rational, so in [0.5, 0.75].
    let w = v["max_welfare"]["deal"]["share_a"].as_f64().unwrap();
    assert!((0.5 - 1e-12..=0.75 + 1e-12).contains(&w), "{w}");
}

#[test]
fn textbook_ks_on_a_curved_frontier_converges_with_the_grid() {
    // REFERENCES.md: u1 = x, u2 = √(1 − x), d = 0: KS at x = (√5 − 1)/2, Nash at 2/3. The
    // frontier is curved, so the points are the best grid points, and say so.
    let text = r#"
[scenario]
name = "curve"
[clauses.x]
kind = "range"
min = 0
max = 1
[proposals.half]
x = 0.5
[parties.one]
reservation = 0
weights = { x = 1 }
values.x = { linear = { worst = 0, best = 1 } }
[parties.two]
reservation = 0
weights = { x = 1 }
values.x = { power = { worst = 1, best = 0, exponent = 0.5 } }
"#;
    let s = scenario(text);
    let ks_exact = (5f64.sqrt() - 1.0) / 2.0;
    let mut last_error = f64::INFINITY;
    for k in [101, 1001, 10001, 100001] {
        let space = Space::from_scenario(&s, k).unwrap();
        let a = analyse_with(&space, &Options::default()).unwrap();
        let ks = a.kalai_smorodinsky.as_ref().unwrap();
        let step = 1.0 / (k - 1) as f64;
        let error = (ks.deal[0] - ks_exact).abs();
        assert!(
            error <= step,
            "resolution {k}: {} vs {ks_exact}",
            ks.deal[0]
        );
        assert!(error <= last_error);
        last_error = error;
        // Nearly equal fractions at the chosen point (ideal (1, 1)).
        assert!((ks.utilities[0] - ks.utilities[1]).abs() <= 2.0 * step);
        assert!(!ks.exact);
        let nash = a.nash.as_ref().unwrap();
        assert!((nash.deal[0] - 2.0 / 3.0).abs() <= step);
    }
    assert!(last_error < 1e-5);
    let v = json(
        &temp_with("curve.toml", text),
        &[
            "analyse",
            "curve.toml",
            "--format",
            "json",
            "--resolution",
            "1001",
        ],
    );
    assert_eq!(v["solution_points"], "grid");
    assert_eq!(v["kalai_smorodinsky"]["exact"], false);
    assert_eq!(v["kalai_smorodinsky"]["grid_error"]["resolution"], 1001);
    let step = v["kalai_smorodinsky"]["grid_error"]["step"]["x"]
        .as_f64()
        .unwrap();
    assert!((step - 0.001).abs() < 1e-12, "{step}");
}

#[test]
fn peace_plan_points_are_over_the_veto_parties() {
    let path = repo_file("scenarios/peace-plan-2025.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // As bundled, at the parameters' means no negotiable outcome gives every veto party its
    // reservation: under gain–loss utility (no floor on losses) every step away from the
    // 28-point draft costs Russia λ times its value, and it needs 0.72.
    let r = accord(&["analyse", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("nash                 no outcome gives every party its reservation"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("not weighed:      european_union"),
        "{}",
        r.stdout
    );
    // With Russia's outside option lower there is a zone of agreement, and the points are
    // individually rational for every veto party whatever the EU (no veto) gets.
    let russia = "reservation = { normal = { mean = 0.72, sd = 0.12 } }";
    assert_eq!(text.matches(russia).count(), 1);
    let lower = text.replace(
        russia,
        "reservation = { normal = { mean = 0.3, sd = 0.12 } }",
    );
    let v = json(
        &temp_with("plan.toml", &lower),
        &["analyse", "plan.toml", "--format", "json"],
    );
    let parties = v["parties"].as_array().unwrap();
    let needed: Vec<&str> = parties
        .iter()
        .filter(|p| p["needed"] == true)
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(needed, ["ukraine", "russia", "united_states"]);
    for point in ["nash", "kalai_smorodinsky", "max_welfare"] {
        let p = &v[point];
        assert!(p.is_object(), "{point}: {p}");
        for q in parties.iter().filter(|q| q["needed"] == true) {
            let name = q["name"].as_str().unwrap();
            let u = p["utilities"][name].as_f64().unwrap();
            assert!(
                u >= q["reservation"].as_f64().unwrap() - 1e-12,
                "{point}: {name}"
            );
        }
        assert!(p["utilities"]["european_union"].is_number());
    }
}

#[test]
fn oversized_grids_are_refused_before_allocating() {
    let path = repo_file("scenarios/peace-plan-2025.toml");
    for k in ["1000000000", "100002", "1", "0"] {
        let started = std::time::Instant::now();
        let r = accord(&["analyse", path.to_str().unwrap(), "--resolution", k]);
        assert_eq!(r.code, 2, "{k}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("--resolution {k}")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("100001"), "says what fits: {}", r.stderr);
        assert!(started.elapsed().as_secs() < 5, "{k}: refused at once");
    }
    // A frontier too large to hold: three parties on two long pies trading off every step.
    let text = r#"
[scenario]
name = "too fine"
[clauses.x]
kind = "range"
min = 0
max = 1
[clauses.y]
kind = "range"
min = 0
max = 1
[proposals.half]
x = 0.5
y = 0.5
[parties.a]
reservation = 0
weights = { x = 1, y = 1 }
values.x = { linear = { worst = 0, best = 1 } }
values.y = { linear = { worst = 0, best = 1 } }
[parties.b]
reservation = 0
weights = { x = 1 }
values.x = { linear = { worst = 1, best = 0 } }
[parties.c]
reservation = 0
weights = { y = 1 }
values.y = { linear = { worst = 1, best = 0 } }
"#;
    let dir = temp_with("fine.toml", text);
    let r = accord_in(
        dir.path(),
        &["analyse", "fine.toml", "--resolution", "5000"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("too large"), "{}", r.stderr);
    assert!(r.stderr.contains("--resolution"), "{}", r.stderr);
    let r = accord_in(
        dir.path(),
        &["analyse", "fine.toml", "--resolution", "1000"],
    );
    assert_eq!(r.code, 0, "a coarser grid fits: {}", r.stderr);
}

#[test]
fn power_flag_errors_name_the_flag() {
    let dir = temp_with("pie.toml", PIE);
    let cases = [
        ("a=0.5", "missing: b"),
        ("a=0.5,b=0.5,a=1", "`a` is given twice"),
        ("a=0,b=1", "positive"),
        ("a=-1,b=1", "positive"),
        ("a=inf,b=1", "positive"),
        ("a=x,b=1", "a power is a positive number"),
        ("c=1,a=1,b=1", "no party `c`"),
        ("a", "PARTY=POWER"),
    ];
    for (flag, needle) in cases {
        let r = accord_in(dir.path(), &["analyse", "pie.toml", "--power", flag]);
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        assert!(r.stderr.contains("--power"), "{flag}: {}", r.stderr);
        assert!(
            r.stderr.contains(needle),
            "{flag}: wanted {needle:?} in {}",
            r.stderr
        );
    }
    // A party without a veto has no power in the product.
    let path = repo_file("scenarios/peace-plan-2025.toml");
    let r = accord(&[
        "analyse",
        path.to_str().unwrap(),
        "--power",
        "european_union=1,ukraine=1,russia=1,united_states=1",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("holds no veto"), "{}", r.stderr);
}

#[test]
fn outcome_counts_beyond_64_bits_print_in_full() {
    // 30 clauses of 10 options: 10^30 outcomes, more than 2^64 (about 1.8·10^19).
    let mut text = String::from("[scenario]\nname = \"huge\"\n");
    let mut weights = Vec::new();
    let mut values = Vec::new();
    for c in 0..30 {
        text.push_str(&format!(
            "[clauses.c{c}]\nkind = \"choice\"\noptions = [{}]\n",
            (0..10)
                .map(|k| format!("\"o{k}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        weights.push(format!("c{c} = 1"));
        values.push(format!(
            "values.c{c} = {{ table = {{ {} }} }}",
            (0..10)
                .map(|k| format!("o{k} = {}", k as f64 / 9.0))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str(&format!(
        "[proposals.first]\n{}\n",
        (0..30)
            .map(|c| format!("c{c} = \"o0\""))
            .collect::<Vec<_>>()
            .join("\n")
    ));
    for p in ["a", "b"] {
        text.push_str(&format!(
            "[parties.{p}]\nreservation = 0\nweights = {{ {} }}\n{}\n",
            weights.join(", "),
            values.join("\n")
        ));
    }
    let dir = temp_with("huge.toml", &text);
    let r = accord_in(dir.path(), &["analyse", "huge.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("outcomes:         1,000,000,000,000,000,000,000,000,000,000 (30 clauses"),
        "{}",
        r.stdout
    );
    let r = accord_in(dir.path(), &["analyse", "huge.toml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The exact integer (a JSON reader may take it as a float; the text is exact).
    assert!(
        r.stdout
            .contains("\"outcomes\": 1000000000000000000000000000000,"),
        "{}",
        &r.stdout[..300.min(r.stdout.len())]
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // Both parties agree: the best option everywhere, one outcome on the frontier.
    assert_eq!(v["pareto"]["outcomes"], 1);
}

#[test]
fn travel_frontier_matches_brute_force() {
    // 188,160 outcomes, two parties: brute force by a sort over every outcome.
    let Some(dir) = shared_data("genius/Travel") else {
        return;
    };
    let set = accord::scenario::genius::load(
        &dir.join("travel_domain.xml"),
        &[dir.join("travel_chox.xml"), dir.join("travel_fanny.xml")],
    )
    .unwrap();
    let s = accord::scenario::genius::to_scenario(&set).unwrap();
    let space = Space::from_scenario(&s, 11).unwrap();
    let a = analyse_with(&space, &Options::default()).unwrap();
    let mut all: Vec<(f64, f64, Vec<usize>)> = space
        .every_outcome()
        .into_iter()
        .map(|o| {
            let u = space.utilities(&o);
            (u[0], u[1], o)
        })
        .collect();
    assert_eq!(all.len(), 188_160);
    all.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)));
    // Sweep: undominated when its second utility beats every earlier one (ties within
    // 1e-12, the size of a rounding difference between orders of summation, kept).
    let mut best = f64::NEG_INFINITY;
    let mut pareto: Vec<Vec<usize>> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len()
            && (all[j].0 - all[i].0).abs() <= 1e-12
            && (all[j].1 - all[i].1).abs() <= 1e-12
        {
            j += 1;
        }
        if all[i].1 > best + 1e-12 {
            best = all[i].1;
            pareto.extend(all[i..j].iter().map(|x| x.2.clone()));
        }
        i = j;
    }
    pareto.sort();
    let mut ours = Vec::new();
    for i in 0..a.frontier.len() {
        a.for_each_outcome(i, &mut |o| {
            ours.push(o.to_vec());
            true
        });
    }
    ours.sort();
    assert_eq!(ours, pareto);
}

#[test]
fn exact_points_combine_a_linear_clause_with_the_others() {
    // c = good is worth 0.5 to both; x splits the other half. d = (0.6, 0.55): gains
    // 0.5x − 0.1 and 0.45 − 0.5x, equal (Nash and KS) at x = 0.55, off the 11-point grid.
    let s = scenario(
        r#"
[scenario]
name = "pie and a sweetener"
[clauses.x]
kind = "range"
min = 0
max = 1
[clauses.c]
kind = "choice"
options = ["bad", "good"]
[proposals.start]
x = 0.5
c = "bad"
[parties.a]
reservation = 0.6
weights = { x = 0.5, c = 0.5 }
values.x = { linear = { worst = 0, best = 1 } }
values.c = { table = { bad = 0, good = 1 } }
[parties.b]
reservation = 0.55
weights = { x = 0.5, c = 0.5 }
values.x = { linear = { worst = 1, best = 0 } }
values.c = { table = { bad = 0, good = 1 } }
"#,
    );
    let space = Space::from_scenario(&s, 11).unwrap();
    let a = analyse_with(&space, &Options::default()).unwrap();
    for p in [
        a.nash.as_ref().unwrap(),
        a.kalai_smorodinsky.as_ref().unwrap(),
    ] {
        assert!((p.deal[0] - 0.55).abs() < 1e-12, "{:?}", p.deal);
        assert_eq!(p.deal[1], 1.0, "c = good");
        assert!((p.utilities[0] - 0.775).abs() < 1e-12 && (p.utilities[1] - 0.725).abs() < 1e-12);
        assert!(p.exact && p.entry.is_none());
    }
    // The ideal: each party's best with the other at its reservation.
    let ideal = a.ideal.as_ref().unwrap();
    assert!((ideal[0] - 0.95).abs() < 1e-12 && (ideal[1] - 0.9).abs() < 1e-12);
}

#[test]
fn terms_outside_the_exact_range_are_refused() {
    use accord::analysis::outcomes::{Axis, AxisKind};
    let axis = Axis {
        name: "x".into(),
        values: vec![0.0, 1.0],
        labels: vec!["0".into(), "1".into()],
        grid: false,
        kind: AxisKind::Number,
    };
    for bad in [f64::NAN, f64::INFINITY, 1e300] {
        let space = Space::new(
            vec![axis.clone()],
            vec!["a".into(), "b".into()],
            vec![0.0, 0.0],
            vec![vec![0.0, 1.0, bad, 0.0]],
            Vec::new(),
        );
        let e = analyse_with(&space, &Options::default()).unwrap_err();
        assert!(format!("{e}").contains("party `a`'s utility term"), "{e}");
    }
}
