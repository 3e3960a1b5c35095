//! Behaviour of the case engine, rule by rule (DOMAIN.md). Cases come from
//! [`testkit::CaseBuilder`](super::testkit::CaseBuilder), through the real `decide` + `apply`.

mod approvals;
mod changes;
mod escalation;
mod family;
mod folding;
mod gates;
mod inputs;
mod leads;
mod lifecycle;
mod may;
mod meetings;
mod next_step;
mod permissions;
mod properties;
mod registration;
mod reopen;
mod returning;
mod review_rules;
mod reviews;
mod stages;
mod transferring;
