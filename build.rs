// Recompile the sqlx query macros whenever a migration changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
