//! A `hubspot.config.yml` as a whole: is the CLI using it?

use crate::analysis::diagnostic::{Code, Diagnostic};
use crate::analysis::document::{same_path, SourceFile};
use crate::analysis::world::{ConfigKind, InForce, World};

use super::files::first_line;

pub fn check(file: &SourceFile, world: &World, out: &mut Vec<Diagnostic>) {
    let range = first_line(&file.text);
    let (code, msg) = match world.config_in_force(&file.directory()) {
        InForce::File { kind: ConfigKind::Legacy, file: used } if same_path(&used.path, &file.path) => (
            Code::LegacyConfig,
            "This deprecated project config is what the CLI uses here. Migrate it to the global config (~/.hscli/config.yml): run `hs config migrate`, or use the Migrate action.".to_string(),
        ),
        InForce::File { kind: ConfigKind::Legacy, file: used } => (
            Code::LegacyConfigIgnored,
            format!("The CLI ignores this file: the nearer {} is used instead.", used.path.display()),
        ),
        InForce::File { file: used, .. } => (
            Code::LegacyConfigIgnored,
            format!("The CLI ignores this file because {} exists. Merge it into that config (`hs config migrate`, or the Migrate action) and delete it.", used.path.display()),
        ),
        InForce::Conflict => return, // `config-conflict` says why
        InForce::Environment => (
            Code::LegacyConfigIgnored,
            "The CLI ignores this file: USE_ENVIRONMENT_HUBSPOT_CONFIG=true takes the account from environment variables.".to_string(),
        ),
        InForce::Missing { path } => (
            Code::LegacyConfigIgnored,
            format!("The CLI ignores this file: HUBSPOT_CONFIG_PATH points at {} (which does not exist).", path.display()),
        ),
        InForce::Unreadable { path } => (
            Code::LegacyConfigIgnored,
            format!("The CLI ignores this file: it finds {} first, which cannot be read as a file, and every command fails on it.", path.display()),
        ),
        InForce::None => return, // we are in force by definition, unless the file vanished
    };
    out.push(Diagnostic::warning(code, range, msg));
}
