//! "Did you mean" suggestions for misspelt names.

/// The known name closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// For a serde message such as "unknown field `weigths`, expected one of `veto`, `weights`",
/// the suggestion "did you mean `weights`?".
pub fn suggest_for_serde_message(message: &str) -> Option<String> {
    let rest = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))?
        .1;
    let (bad, tail) = rest.split_once('`')?;
    let candidates: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    did_you_mean(bad, candidates.iter().copied()).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("weigths", ["veto", "weights", "values"]),
            Some("weights")
        );
        assert_eq!(did_you_mean("xyz", ["veto", "weights"]), None);
    }

    #[test]
    fn reads_serde_messages() {
        let m = "unknown field `weigths`, expected one of `veto`, `weights`, `values`";
        assert_eq!(
            suggest_for_serde_message(m).as_deref(),
            Some("did you mean `weights`?")
        );
        let v = "unknown variant `logt`, expected `threshold` or `logit`";
        assert_eq!(
            suggest_for_serde_message(v).as_deref(),
            Some("did you mean `logit`?")
        );
    }
}
