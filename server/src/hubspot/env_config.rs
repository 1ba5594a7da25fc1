//! The config the CLI synthesises from environment variables when
//! `USE_ENVIRONMENT_HUBSPOT_CONFIG=true` (LDL `buildConfigFromEnvironment`; see
//! docs/hubspot-cli.md, *Environment-variable mode*),
//! quirks included: `parseInt` ids, the `HUBSPOT_PORTAL_ID` fallback, the misspelled
//! `DEFUALT_CMS_PUBLISH_MODE`, and only an exact `'true'` for the booleans.

use std::fmt;

use serde_json::Value;

use super::model::{parse_int_js, Account, Auth, AuthType, Config, HubEnv, Shape, TokenInfo};
use super::secret::Secret;

/// The variables `buildConfigFromEnvironment` reads, by the names it reads them under.
pub mod vars {
    pub const ACCOUNT_ID: &str = "HUBSPOT_ACCOUNT_ID";
    /// Legacy fallback for [`ACCOUNT_ID`].
    pub const PORTAL_ID: &str = "HUBSPOT_PORTAL_ID";
    pub const PERSONAL_ACCESS_KEY: &str = "HUBSPOT_PERSONAL_ACCESS_KEY";
    pub const CLIENT_ID: &str = "HUBSPOT_CLIENT_ID";
    pub const CLIENT_SECRET: &str = "HUBSPOT_CLIENT_SECRET";
    pub const REFRESH_TOKEN: &str = "HUBSPOT_REFRESH_TOKEN";
    pub const API_KEY: &str = "HUBSPOT_API_KEY";
    pub const ENVIRONMENT: &str = "HUBSPOT_ENVIRONMENT";
    pub const HTTP_TIMEOUT: &str = "HTTP_TIMEOUT";
    pub const HTTP_USE_LOCALHOST: &str = "HTTP_USE_LOCALHOST";
    pub const ALLOW_USAGE_TRACKING: &str = "ALLOW_USAGE_TRACKING";
    /// Sic: the library reads this misspelling; `DEFAULT_CMS_PUBLISH_MODE` is never read.
    pub const DEFAULT_CMS_PUBLISH_MODE: &str = "DEFUALT_CMS_PUBLISH_MODE";
}

/// The OAuth2 scopes an env-mode OAuth2 account gets: every scope the CLI offers.
pub const OAUTH_SCOPES: [&str; 3] = ["content", "hubdb", "files"];

/// `ENVIRONMENT_VARIABLES` errors; `Display` is the CLI's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvConfigError {
    /// Neither `HUBSPOT_ACCOUNT_ID` nor `HUBSPOT_PORTAL_ID` is set (and non-empty).
    MissingAccountId,
    /// No personal access key, no complete OAuth2 triple and no API key.
    InvalidAuthType,
}

impl fmt::Display for EnvConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EnvConfigError::MissingAccountId => "HUBSPOT_ACCOUNT_ID is required, but not currently set",
            // Sic: the message says API_KEY; the variable read is HUBSPOT_API_KEY.
            EnvConfigError::InvalidAuthType => "Auth type is invalid. Use HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET, and HUBSPOT_REFRESH_TOKEN to authenticate with Oauth2, HUBSPOT_PERSONAL_ACCESS_KEY to authenticate with Personal Access Key, or API_KEY to authenticate with API Key.",
        })
    }
}

impl std::error::Error for EnvConfigError {}

/// `buildConfigFromEnvironment()`. `var` looks a variable up; an empty value counts as
/// unset, as in JavaScript where `''` is falsy.
pub fn build(var: impl Fn(&str) -> Option<String>) -> Result<Config, EnvConfigError> {
    let get = |k: &str| var(k).filter(|v| !v.is_empty());
    let raw_id = get(vars::ACCOUNT_ID).or_else(|| get(vars::PORTAL_ID)).ok_or(EnvConfigError::MissingAccountId)?;
    // `parseInt`: `12x` is 12; `abc` is NaN, which no lookup ever matches.
    let account_id = parse_int_js(&raw_id);
    let env = HubEnv::parse(get(vars::ENVIRONMENT).as_deref());

    let (auth_type, personal_access_key, api_key, auth) = if let Some(pak) = get(vars::PERSONAL_ACCESS_KEY) {
        // `auth: {tokenInfo: {}}`: without it the library's token code throws a TypeError.
        let auth = Auth { token_info: Some(TokenInfo::default()), ..Auth::default() };
        (AuthType::PersonalAccessKey, Some(Secret::new(pak)), None, Some(auth))
    } else if let (Some(id), Some(secret), Some(refresh)) =
        (get(vars::CLIENT_ID), get(vars::CLIENT_SECRET), get(vars::REFRESH_TOKEN))
    {
        let auth = Auth {
            client_id: Some(id),
            client_secret: Some(Secret::new(secret)),
            scopes: OAUTH_SCOPES.iter().map(|s| s.to_string()).collect(),
            token_info: Some(TokenInfo { refresh_token: Some(Secret::new(refresh)), ..TokenInfo::default() }),
        };
        (AuthType::OAuth2, None, None, Some(auth))
    } else if let Some(key) = get(vars::API_KEY) {
        (AuthType::ApiKey, None, Some(Secret::new(key)), None)
    } else {
        return Err(EnvConfigError::InvalidAuthType);
    };

    let account = Account {
        pointer: "/accounts/0".into(),
        // The raw string of whichever variable gave the id: `HUBSPOT_ACCOUNT_ID=12x` is named `12x`.
        raw_name: Some(Value::from(raw_id.as_str())),
        name: Some(raw_id),
        account_id,
        raw_account_id: account_id.map(Value::from),
        auth_type: Some(auth_type),
        env,
        account_type: None,
        parent_account_id: None,
        default_cms_publish_mode: None,
        personal_access_key,
        api_key,
        auth,
    };
    let bool_var = |k: &str| get(k).map(|v| v == "true");
    Ok(Config {
        shape: Shape::Current,
        accounts: vec![account],
        // `defaultAccount: accountId`; NaN or 0 is falsy, so there is then no default.
        default_account: account_id.filter(|id| *id != 0).map(Value::from),
        default_cms_publish_mode: get(vars::DEFAULT_CMS_PUBLISH_MODE).filter(|m| m == "draft" || m == "publish"),
        // `parseInt`; NaN (and anything not positive) leaves requests on the 15000 ms default.
        http_timeout: get(vars::HTTP_TIMEOUT)
            .and_then(|t| parse_int_js(&t))
            .and_then(|t| u64::try_from(t).ok())
            .filter(|t| *t > 0),
        http_use_localhost: bool_var(vars::HTTP_USE_LOCALHOST).unwrap_or(false),
        allow_usage_tracking: bool_var(vars::ALLOW_USAGE_TRACKING),
        env: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hubspot::test_support::fixture;

    /// `KEY=value` lines, `#` comments skipped: the format of the `.env` fixture in `tests/fixtures/spec/`.
    fn dotenv(text: &str) -> Vec<(String, String)> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn build_from(pairs: &[(&str, &str)]) -> Result<Config, EnvConfigError> {
        build(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn fixture_11_env_mode() {
        let vars = dotenv(&fixture("11-env-mode.env"));
        let c = build(|k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())).unwrap();
        // {accounts:[{authType: personalaccesskey, accountId: 222, personalAccessKey: pak, env: qa,
        //  name: "222", auth:{tokenInfo:{}}}], defaultAccount: 222, httpTimeout: 5000,
        //  httpUseLocalhost: true, allowUsageTracking: false, defaultCmsPublishMode: draft}
        let a = &c.accounts[0];
        assert_eq!(c.accounts.len(), 1);
        assert_eq!(a.auth_type, Some(AuthType::PersonalAccessKey));
        assert_eq!(a.account_id, Some(222));
        assert_eq!(a.personal_access_key.as_ref().map(Secret::expose), Some("pak"));
        assert_eq!(a.env, HubEnv::Qa);
        assert_eq!(a.name.as_deref(), Some("222"));
        assert_eq!(a.token_info(), Some(&TokenInfo::default()));
        assert_eq!(c.default_account, Some(Value::from(222)));
        assert_eq!(c.default().map(|d| d.pointer.as_str()), Some("/accounts/0"));
        assert_eq!(c.http_timeout, Some(5000));
        assert!(c.http_use_localhost);
        assert_eq!(c.allow_usage_tracking, Some(false));
        assert_eq!(c.default_cms_publish_mode.as_deref(), Some("draft"));
    }

    #[test]
    fn environment_variable_examples() {
        let pak = ("HUBSPOT_PERSONAL_ACCESS_KEY", "k");
        let c = build_from(&[
            ("HUBSPOT_ACCOUNT_ID", "12x"),
            pak,
            ("HTTP_TIMEOUT", "abc"),
            ("HTTP_USE_LOCALHOST", "TRUE"),
            ("HUBSPOT_ENVIRONMENT", "staging"),
        ])
        .unwrap();
        assert_eq!((c.accounts[0].account_id, c.accounts[0].name.as_deref()), (Some(12), Some("12x")));
        assert_eq!(c.http_timeout, None);
        assert_eq!(c.timeout_ms(), 15_000);
        assert!(!c.http_use_localhost);
        assert_eq!(c.accounts[0].env, HubEnv::Prod);

        let c = build_from(&[
            ("HUBSPOT_ACCOUNT_ID", "1"),
            pak,
            ("DEFUALT_CMS_PUBLISH_MODE", "draft"),
            ("DEFAULT_CMS_PUBLISH_MODE", "publish"),
        ])
        .unwrap();
        assert_eq!(c.default_cms_publish_mode.as_deref(), Some("draft"));
        let c = build_from(&[("HUBSPOT_ACCOUNT_ID", "1"), pak, ("DEFAULT_CMS_PUBLISH_MODE", "publish")]).unwrap();
        assert_eq!(c.default_cms_publish_mode, None);
        let c = build_from(&[
            ("HUBSPOT_ACCOUNT_ID", "1"),
            pak,
            ("DEFUALT_CMS_PUBLISH_MODE", "Draft"),
            ("ALLOW_USAGE_TRACKING", "yes"),
        ])
        .unwrap();
        assert_eq!((c.default_cms_publish_mode, c.allow_usage_tracking), (None, Some(false)));
    }

    #[test]
    fn account_id_falls_back_to_portal_id() {
        let c =
            build_from(&[("HUBSPOT_ACCOUNT_ID", ""), ("HUBSPOT_PORTAL_ID", "4343"), ("HUBSPOT_API_KEY", "k")]).unwrap();
        assert_eq!((c.accounts[0].account_id, c.accounts[0].name.as_deref()), (Some(4343), Some("4343")));
        assert_eq!(build_from(&[("HUBSPOT_API_KEY", "k")]), Err(EnvConfigError::MissingAccountId));
        assert_eq!(
            EnvConfigError::MissingAccountId.to_string(),
            "HUBSPOT_ACCOUNT_ID is required, but not currently set"
        );
        // An id parseInt cannot read: the account exists, but nothing (not even the default) finds it.
        let c = build_from(&[("HUBSPOT_ACCOUNT_ID", "abc"), ("HUBSPOT_API_KEY", "k")]).unwrap();
        assert_eq!((c.accounts[0].account_id, c.default_account.clone()), (None, None));
    }

    #[test]
    fn auth_precedence_pak_then_oauth2_then_api_key() {
        let id = ("HUBSPOT_ACCOUNT_ID", "5");
        let oauth =
            [("HUBSPOT_CLIENT_ID", "cid"), ("HUBSPOT_CLIENT_SECRET", "csecret"), ("HUBSPOT_REFRESH_TOKEN", "rt")];
        let all = [id, ("HUBSPOT_PERSONAL_ACCESS_KEY", "pak"), oauth[0], oauth[1], oauth[2], ("HUBSPOT_API_KEY", "k")];
        assert_eq!(build_from(&all).unwrap().accounts[0].auth_type, Some(AuthType::PersonalAccessKey));

        let c = build_from(&[id, oauth[0], oauth[1], oauth[2], ("HUBSPOT_API_KEY", "k")]).unwrap();
        let a = &c.accounts[0];
        assert_eq!(a.auth_type, Some(AuthType::OAuth2));
        let auth = a.auth.as_ref().unwrap();
        assert_eq!(auth.scopes, ["content", "hubdb", "files"]);
        assert_eq!(auth.client_secret.as_ref().map(Secret::expose), Some("csecret"));
        assert_eq!(a.token_info().and_then(|t| t.refresh_token.as_ref()).map(Secret::expose), Some("rt"));
        assert_eq!(a.api_key, None);

        // An incomplete triple does not count.
        let c = build_from(&[id, oauth[0], oauth[1], ("HUBSPOT_API_KEY", "k")]).unwrap();
        assert_eq!((c.accounts[0].auth_type.clone(), c.accounts[0].auth.is_none()), (Some(AuthType::ApiKey), true));
        assert_eq!(build_from(&[id, oauth[0], oauth[1]]), Err(EnvConfigError::InvalidAuthType));
        assert!(EnvConfigError::InvalidAuthType.to_string().contains("or API_KEY to authenticate with API Key."));
    }

    #[test]
    fn credentials_never_print() {
        let c = build_from(&[
            ("HUBSPOT_ACCOUNT_ID", "5"),
            ("HUBSPOT_PERSONAL_ACCESS_KEY", "pat-na1-secretsecretsecret-0001"),
        ])
        .unwrap();
        assert!(!format!("{c:?}").contains("secretsecret"));
    }
}
