//! Which origin a request goes to (docs/hubspot-cli.md, *API origins*).

use crate::hubspot::model::HubEnv;

/// Where API calls go. `override_origin` (`HUBSPOT_LS_API_URL` / `initializationOptions.apiUrl`)
/// replaces the origin of every call, token exchanges included, whatever the account's env.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    pub override_origin: Option<String>,
}

impl Origins {
    pub fn new(override_origin: Option<String>) -> Origins {
        let override_origin =
            override_origin.map(|o| o.trim().trim_end_matches('/').to_string()).filter(|o| !o.is_empty());
        Origins { override_origin }
    }

    /// `initializationOptions.apiUrl` wins over `HUBSPOT_LS_API_URL`.
    pub fn from_process(api_url: Option<String>) -> Origins {
        Origins::new(api_url.or_else(|| std::env::var("HUBSPOT_LS_API_URL").ok()))
    }

    /// The API origin for an account: `https://api.hubapi.com` or `https://api.hubapiqa.com`,
    /// `local.` instead of `api.` with `httpUseLocalhost`.
    pub fn api(&self, env: HubEnv, use_localhost: bool) -> String {
        if let Some(o) = &self.override_origin {
            return o.clone();
        }
        let host = if use_localhost { "local" } else { "api" };
        match env {
            HubEnv::Prod => format!("https://{host}.hubapi.com"),
            HubEnv::Qa => format!("https://{host}.hubapiqa.com"),
        }
    }

    /// The token exchange ignores `httpUseLocalhost`, as in the CLI.
    pub fn token_exchange(&self, env: HubEnv) -> String {
        self.api(env, false)
    }

    /// `https://app.hubspot.com` / `https://app.hubspotqa.com`: where users get keys.
    pub fn website(env: HubEnv) -> &'static str {
        match env {
            HubEnv::Prod => "https://app.hubspot.com",
            HubEnv::Qa => "https://app.hubspotqa.com",
        }
    }

    /// The page where a user creates or copies a personal access key.
    pub fn pak_page(env: HubEnv, account_id: Option<i64>) -> String {
        match account_id {
            Some(id) => format!("{}/personal-access-key/{id}", Origins::website(env)),
            None => format!("{}/l/personal-access-key", Origins::website(env)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_follow_env_localhost_and_override() {
        let o = Origins::new(None);
        assert_eq!(o.api(HubEnv::Prod, false), "https://api.hubapi.com");
        assert_eq!(o.api(HubEnv::Qa, false), "https://api.hubapiqa.com");
        assert_eq!(o.api(HubEnv::Qa, true), "https://local.hubapiqa.com");
        assert_eq!(o.token_exchange(HubEnv::Prod), "https://api.hubapi.com");
        let o = Origins::new(Some("http://127.0.0.1:8080/".into()));
        assert_eq!(o.api(HubEnv::Qa, true), "http://127.0.0.1:8080");
        assert_eq!(Origins::pak_page(HubEnv::Prod, Some(5)), "https://app.hubspot.com/personal-access-key/5");
        assert_eq!(Origins::pak_page(HubEnv::Qa, None), "https://app.hubspotqa.com/l/personal-access-key");
        assert!(Origins::new(Some("  ".into())).override_origin.is_none());
    }
}
