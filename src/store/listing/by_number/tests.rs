use std::path::Path;

use super::numbers_containing;
use crate::cli::seed::{self, SeedOptions};
use crate::domain::{CaseRef, SchoolKey};
use crate::store::{CaseFilter, Store};

/// The numbers from 1 to `max` whose place in a reference holds `digits`, the slow way.
fn every_number_containing(digits: &str, max: u32) -> Vec<u32> {
    (1..=max)
        .filter(|n| format!("{n:04}").contains(digits))
        .collect()
}

#[test]
fn the_numbers_holding_some_digits_are_those_a_reference_shows() {
    let mut typed: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    typed.extend((0..100).map(|d| format!("{d:02}")));
    typed.extend((0..1000).step_by(7).map(|d| format!("{d:03}")));
    typed.extend(
        [
            "0042", "0000", "1234", "9999", "00042", "10042", "0420", "42000",
        ]
        .map(String::from),
    );
    for max in [1, 9, 42, 999, 9_999, 10_500, 123_456] {
        for digits in &typed {
            let slow = every_number_containing(digits, max);
            match numbers_containing(digits, max, 100) {
                Some(fast) => assert_eq!(fast, slow, "{digits} up to {max}"),
                // Giving up is only allowed when the digits are common.
                None => assert!(slow.len() > 100 || digits.len() < 4, "{digits} up to {max}"),
            }
        }
    }
    assert_eq!(
        numbers_containing("0042", 10_500, 100),
        Some(vec![42, 10_042])
    );
    assert_eq!(numbers_containing("12345678", 9_999, 100), Some(vec![]));
    assert_eq!(numbers_containing("4a", 9_999, 100), None);
    assert_eq!(numbers_containing("", 9_999, 100), None);
}

async fn seeded(cases: u64) -> Store {
    let text = include_str!("../../../../config/example.toml");
    let config = crate::config::Config::parse(text, Path::new("config")).expect("example config");
    let store = Store::in_memory().await.expect("store");
    seed::seed(&store, &config, &SeedOptions::new(cases))
        .await
        .expect("seed");
    store
}

fn references(cases: &[crate::domain::Case]) -> Vec<CaseRef> {
    cases.iter().map(|c| c.reference).collect()
}

/// The index's answer is the pattern's: the same cases, in the same order, for the same
/// people, whatever they type and however few closed cases are looked through.
#[tokio::test]
async fn suggestions_by_number_are_the_patterns_own() {
    let store = seeded(1_500).await;
    let school = |key: &str| SchoolKey::parse(key).expect("school key");
    let filters = [
        CaseFilter {
            all: true,
            ..CaseFilter::default()
        },
        CaseFilter {
            schools: vec![school("riverside")],
            ..CaseFilter::default()
        },
        CaseFilter {
            schools: vec![school("hillcrest"), school("oakfield")],
            limit: 3,
            ..CaseFilter::default()
        },
        CaseFilter {
            transfers: true,
            ..CaseFilter::default()
        },
        CaseFilter {
            schools: vec![school("oakfield")],
            open_only: true,
            ..CaseFilter::default()
        },
    ];
    let mut typed: Vec<String> = (0..100).map(|d| format!("{d:02}")).collect();
    typed.extend((0..200).step_by(3).map(|d| format!("{d:03}")));
    typed.extend(
        [
            "0042",
            "0100",
            "0007",
            "1",
            "7",
            " 04 2",
            "9999",
            "123456789",
        ]
        .map(String::from),
    );
    let mut by_number = 0;
    for filter in &filters {
        for recent_closed in [2_000, 300, 40, 1] {
            for t in &typed {
                let got = store
                    .suggest_cases_among(filter, t, recent_closed)
                    .await
                    .unwrap();
                let want = store
                    .suggest_by_pattern(filter, t, recent_closed)
                    .await
                    .unwrap();
                assert_eq!(
                    references(&got),
                    references(&want),
                    "{t:?} for {filter:?} among {recent_closed} closed"
                );
                let kept = super::super::reference_part(t);
                if store
                    .suggest_by_number(filter, &kept, recent_closed)
                    .await
                    .unwrap()
                    .is_some()
                {
                    by_number += 1;
                }
            }
        }
    }
    // Most of what was typed went by the index (the rest is held by a year, or too common).
    assert!(by_number > typed.len() * filters.len() * 2, "{by_number}");
}

/// The cases behind a run of digits that a year holds, or a part with a dash or letters,
/// are left to the pattern.
#[tokio::test]
async fn digits_a_year_holds_are_left_to_the_pattern() {
    let store = seeded(60).await;
    let filter = CaseFilter {
        all: true,
        ..CaseFilter::default()
    };
    for kept in ["2026", "202", "-0042", "MM", ""] {
        let found = store.suggest_by_number(&filter, kept, 2_000).await.unwrap();
        assert!(found.is_none(), "{kept}");
    }
    let found = store
        .suggest_by_number(&filter, "0001", 2_000)
        .await
        .unwrap();
    assert!(found.is_some_and(|cases| !cases.is_empty()));
}

/// Every suggestion query walks an index: the number's for the matches, the closed cases'
/// in order (no sort) for the bound on closed cases.
#[tokio::test]
async fn suggestions_by_number_read_indexes_alone() {
    let store = Store::in_memory().await.unwrap();
    let plan = |sql: &'static str| {
        let store = store.clone();
        async move {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; ")
        }
    };
    let matches = plan(
        "SELECT id, updated_at, home_school, destination_school, kind, reference, state
         FROM cases INDEXED BY cases_by_number
         WHERE ref_number IN (SELECT value FROM json_each('[42, 10042]'))
           AND (0 OR home_school IN (SELECT value FROM json_each('[\"a\"]')))",
    )
    .await;
    assert!(
        matches.contains("SEARCH cases USING COVERING INDEX cases_by_number (ref_number=?)"),
        "{matches}"
    );
    let bound = plan(
        "SELECT updated_at, home_school, destination_school, kind, reference
         FROM cases INDEXED BY cases_closed_recent
         WHERE state IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
           AND (0 OR home_school IN ('a'))
           AND (updated_at, home_school, destination_school, kind, reference) >= ('2020', 'a', 'b', 'c', 'd')
         ORDER BY updated_at DESC, home_school DESC, destination_school DESC, kind DESC, reference DESC
         LIMIT 1 OFFSET 1999",
    )
    .await;
    assert!(bound.contains("INDEX cases_closed_recent"), "{bound}");
    assert!(!bound.contains("TEMP B-TREE"), "no sort: {bound}");
    let span = plan(
        "SELECT (SELECT MIN(ref_year) FROM cases), (SELECT MAX(ref_year) FROM cases),
                (SELECT MAX(ref_number) FROM cases)",
    )
    .await;
    assert!(
        !span.contains("SCAN cases"),
        "three steps down an index: {span}"
    );
}
