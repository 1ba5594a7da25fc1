//! The configs: hand-written edge cases, then a seeded generator's random ones.

use super::rng::Rng;

const PAK: &str = "personalAccessKey: pak-test\n    auth: {tokenInfo: {}}";

/// An account entry in block style, four spaces in, with `extra` lines after the id.
fn acct(name: &str, id: &str, extra: &str) -> String {
    let mut s = format!("  - name: {name}\n    accountId: {id}\n    authType: personalaccesskey\n    {PAK}\n");
    if !extra.is_empty() {
        s.push_str(&format!("    {extra}\n"));
    }
    s
}

fn hand_written() -> Vec<(&'static str, String)> {
    let two = format!("accounts:\n{}{}", acct("a", "111", ""), acct("b", "222", ""));
    vec![
        ("valid", format!("defaultAccount: 111\n{two}")),
        ("valid by name", format!("defaultAccount: b\n{two}")),
        ("no default", two.clone()),
        ("empty file", String::new()),
        ("comment only", "# nothing\n".into()),
        ("null document", "null\n".into()),
        ("empty mapping", "{}\n".into()),
        ("scalar document", "just text\n".into()),
        ("list document", "- a\n- b\n".into()),
        ("accounts empty", "accounts:\n".into()),
        ("accounts empty list", "accounts: []\n".into()),
        ("accounts mapping", "accounts:\n  a: {accountId: 1}\n".into()),
        ("empty item", "accounts:\n  -\n".into()),
        ("string item", "accounts:\n  - a\n".into()),
        ("syntax error", format!("{two}bad: [\n")),
        ("duplicate key", format!("defaultAccount: 1\ndefaultAccount: 2\n{two}")),
        ("second document", format!("{two}---\na: 1\n")),
        ("portals null beside accounts", format!("portals:\n{two}")),
        ("portals empty list beside accounts", format!("portals: []\n{two}")),
        ("portals beside accounts", format!("portals:\n  - {{name: p, portalId: 5, authType: apikey, apiKey: k}}\n{two}")),
        ("portals mapping", "portals: {a: 1}\n".into()),
        ("portals string item", "portals:\n  - x\n".into()),
        ("accountId in portals", "portals:\n  - name: p\n    accountId: 5\n    authType: personalaccesskey\n    personalAccessKey: k\n".into()),
        ("portalId and accountId", "portals:\n  - {name: p, portalId: 5, accountId: 6, authType: apikey, apiKey: k}\n".into()),
        ("portalId 0 and accountId", "portals:\n  - {name: p, portalId: 0, accountId: 6, authType: apikey, apiKey: k}\n".into()),
        ("portalId in accounts", "accounts:\n  - {name: p, portalId: 5, authType: apikey, apiKey: k}\n".into()),
        ("legacy whole", "defaultPortal: p\ndefaultMode: draft\nportals:\n  - {name: p, portalId: 5, authType: apikey, apiKey: k, sandboxAccountType: DEVELOPER}\n".into()),
        ("defaultPortal unknown, defaultAccount valid", format!("defaultPortal: nobody\ndefaultAccount: 222\n{two}")),
        ("defaultPortal unknown alone", format!("defaultPortal: nobody\n{two}")),
        ("defaultPortal by id", format!("defaultPortal: 222\n{two}")),
        ("defaultPortal beats defaultAccount", format!("defaultPortal: a\ndefaultAccount: 222\n{two}")),
        ("merge key in item", "base: &base\n  authType: personalaccesskey\n  personalAccessKey: k\naccounts:\n  - <<: *base\n    name: a\n    accountId: 1\n".into()),
        ("merge key list", "x: &a {authType: apikey}\ny: &b {apiKey: k, name: m}\naccounts:\n  - <<: [*a, *b]\n    accountId: 7\n".into()),
        ("merge key own wins", "x: &a {accountId: 1, authType: apikey, apiKey: k}\naccounts:\n  - <<: *a\n    accountId: 2\n    name: n\ndefaultAccount: 2\n".into()),
        ("alias of an account", "accounts:\n  - &a {name: a, accountId: 1, authType: apikey, apiKey: k}\n  - *a\n".into()),
        ("tab after key", "accounts:\n  - name: a\n    accountId:\t123\n    authType:\tpersonalaccesskey\n    personalAccessKey: k\n".into()),
        ("tab after dash before mapping", "accounts:\n  -\tname: a\n    accountId: 1\n    authType: apikey\n    apiKey: k\n".into()),
        ("tab after dash before scalar", "flags:\n  -\tA\naccounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("tab indentation", "accounts:\n\t- name: a\n".into()),
        ("tab before comment", "accounts: # c\t\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\t# x\n".into()),
        ("id 1e3", "defaultAccount: 1000\naccounts:\n  - {name: a, accountId: 1e3, authType: apikey, apiKey: k}\n".into()),
        ("id 0b11", "defaultAccount: 3\naccounts:\n  - {name: a, accountId: 0b11, authType: apikey, apiKey: k}\n".into()),
        ("id 0o17", "defaultAccount: 15\naccounts:\n  - {name: a, accountId: 0o17, authType: apikey, apiKey: k}\n".into()),
        ("id 017", "defaultAccount: 17\naccounts:\n  - {name: a, accountId: 017, authType: apikey, apiKey: k}\n".into()),
        ("id 0x1F", "defaultAccount: 31\naccounts:\n  - {name: a, accountId: 0x1F, authType: apikey, apiKey: k}\n".into()),
        ("id +12", "defaultAccount: 12\naccounts:\n  - {name: a, accountId: +12, authType: apikey, apiKey: k}\n".into()),
        ("id 12.0", "defaultAccount: 12\naccounts:\n  - {name: a, accountId: 12.0, authType: apikey, apiKey: k}\n".into()),
        ("id 1_000", "defaultAccount: a\naccounts:\n  - {name: a, accountId: 1_000, authType: apikey, apiKey: k}\n".into()),
        ("id 1.5", "defaultAccount: a\naccounts:\n  - {name: a, accountId: 1.5, authType: apikey, apiKey: k}\n".into()),
        ("id .inf", "accounts:\n  - {name: a, accountId: .inf, authType: apikey, apiKey: k}\n".into()),
        ("id .nan", "accounts:\n  - {name: a, accountId: .nan, authType: apikey, apiKey: k}\n".into()),
        ("id huge", "defaultAccount: a\naccounts:\n  - {name: a, accountId: 99999999999999999999, authType: apikey, apiKey: k}\n".into()),
        ("id negative", "defaultAccount: -5\naccounts:\n  - {name: a, accountId: -5, authType: apikey, apiKey: k}\n".into()),
        ("id 0", "accounts:\n  - {name: a, accountId: 0, authType: apikey, apiKey: k}\n".into()),
        ("id empty string", "accounts:\n  - {name: a, accountId: '', authType: apikey, apiKey: k}\n".into()),
        ("id true", "accounts:\n  - {name: a, accountId: true, authType: apikey, apiKey: k}\n".into()),
        ("id quoted by name", "defaultAccount: a\naccounts:\n  - {name: a, accountId: '111', authType: apikey, apiKey: k}\n".into()),
        ("id quoted by id", "defaultAccount: 111\naccounts:\n  - {name: a, accountId: '111', authType: apikey, apiKey: k}\n".into()),
        ("id text", "defaultAccount: a\naccounts:\n  - {name: a, accountId: abc, authType: apikey, apiKey: k}\n".into()),
        ("duplicate id quoted", "accounts:\n  - {name: a, accountId: 5, authType: apikey, apiKey: k}\n  - {name: b, accountId: '5', authType: apikey, apiKey: k}\n".into()),
        ("duplicate id 0", "accounts:\n  - {name: a, accountId: 0, authType: apikey, apiKey: k}\n  - {name: b, accountId: 0, authType: apikey, apiKey: k}\n".into()),
        ("names foo then Foo", format!("accounts:\n{}{}", acct("foo", "1", ""), acct("Foo", "2", ""))),
        ("names Foo then foo", format!("accounts:\n{}{}", acct("Foo", "1", ""), acct("foo", "2", ""))),
        ("names Foo twice", format!("accounts:\n{}{}", acct("Foo", "1", ""), acct("Foo", "2", ""))),
        ("names foo twice", format!("accounts:\n{}{}", acct("foo", "1", ""), acct("foo", "2", ""))),
        ("name with space", format!("accounts:\n{}", acct("'my sandbox'", "1", ""))),
        ("name with tab", format!("accounts:\n{}", acct("\"a\\tb\"", "1", ""))),
        ("name null", format!("defaultAccount: 1\naccounts:\n{}", acct("null", "1", ""))),
        ("name number", format!("accounts:\n{}", acct("789", "1", ""))),
        ("name quoted digits", format!("defaultAccount: '2024'\naccounts:\n{}", acct("'2024'", "1", ""))),
        ("name date", format!("accounts:\n{}", acct("2024-01-01", "1", ""))),
        ("name datetime", format!("accounts:\n{}", acct("2024-01-01 10:00:00", "1", ""))),
        ("name not a date", format!("defaultAccount: 2024-1-1\naccounts:\n{}", acct("2024-1-1", "1", ""))),
        ("name true", format!("accounts:\n{}", acct("true", "1", ""))),
        ("name empty", format!("accounts:\n{}", acct("''", "1", ""))),
        ("env 5", format!("accounts:\n{}", acct("a", "1", "env: 5"))),
        ("env QA", format!("accounts:\n{}", acct("a", "1", "env: QA"))),
        ("env empty", format!("accounts:\n{}", acct("a", "1", "env: ''"))),
        ("env other", format!("accounts:\n{}", acct("a", "1", "env: staging"))),
        ("top env 5", format!("env: 5\n{two}")),
        ("accountType unknown", format!("accounts:\n{}", acct("a", "1", "accountType: OTHER"))),
        ("allowUsageTracking yes", format!("allowUsageTracking: 'yes'\n{two}")),
        ("allowUsageTracking unquoted yes", format!("allowUsageTracking: yes\n{two}")),
        ("flags string", format!("flags: \"STRING\"\n{two}")),
        ("flags numbers", format!("flags: [1, 2]\n{two}")),
        ("defaultAccount empty", format!("defaultAccount:\n{two}")),
        ("defaultAccount empty string", format!("defaultAccount: ''\n{two}")),
        ("defaultAccount 0", format!("defaultAccount: 0\n{two}")),
        ("defaultAccount unknown", format!("defaultAccount: 999\n{two}")),
        ("defaultAccount unknown name", format!("defaultAccount: nobody\n{two}")),
        ("defaultAccount quoted id", format!("defaultAccount: '222'\n{two}")),
        ("defaultAccount id with junk", format!("defaultAccount: 222abc\n{two}")),
        ("defaultAccount list", format!("defaultAccount: [1]\n{two}")),
        ("defaultAccount true", format!("defaultAccount: true\n{two}")),
        ("httpTimeout string", format!("httpTimeout: '5000'\n{two}")),
        ("httpTimeout low", format!("httpTimeout: 100\n{two}")),
        ("httpTimeout 0", format!("httpTimeout: 0\n{two}")),
        ("defaultCmsPublishMode bad", format!("defaultCmsPublishMode: later\n{two}")),
        ("unknown top key", format!("colour: blue\n{two}")),
        ("unknown account key", format!("accounts:\n{}", acct("a", "1", "colour: blue"))),
        ("pak empty", "accounts:\n  - {name: a, accountId: 1, authType: personalaccesskey, personalAccessKey: ''}\n".into()),
        ("pak null", "accounts:\n  - {name: a, accountId: 1, authType: personalaccesskey, personalAccessKey: }\n".into()),
        ("pak number", "accounts:\n  - {name: a, accountId: 1, authType: personalaccesskey, personalAccessKey: 5, auth: {tokenInfo: {}}}\n".into()),
        ("pak missing", "accounts:\n  - {name: a, accountId: 1, authType: personalaccesskey}\n".into()),
        ("apiKey empty", "accounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: ''}\n".into()),
        ("oauth2 without auth", "accounts:\n  - {name: a, accountId: 1, authType: oauth2}\n".into()),
        ("oauth2 auth null", "accounts:\n  - {name: a, accountId: 1, authType: oauth2, auth: }\n".into()),
        ("oauth2 auth empty", "accounts:\n  - {name: a, accountId: 1, authType: oauth2, auth: {}}\n".into()),
        ("authType missing", "accounts:\n  - {name: a, accountId: 1, personalAccessKey: k}\n".into()),
        ("authType empty", "accounts:\n  - {name: a, accountId: 1, authType: ''}\n".into()),
        ("authType wrong case", "accounts:\n  - {name: a, accountId: 1, authType: PersonalAccessKey}\n".into()),
        ("authType unknown", "accounts:\n  - {name: a, accountId: 1, authType: saml}\n".into()),
        ("accountId missing", "accounts:\n  - {name: a, authType: apikey, apiKey: k}\n".into()),
        ("no token info", "accounts:\n  - {name: a, accountId: 1, authType: personalaccesskey, personalAccessKey: k}\n".into()),
        ("expiresAt bad", "accounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth: {tokenInfo: {expiresAt: soon}}\n".into()),
        ("expiresAt unquoted date", "accounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth: {tokenInfo: {expiresAt: 2030-01-01T00:00:00Z}}\n".into()),
        ("parent unknown", format!("accounts:\n{}", acct("a", "1", "parentAccountId: 9"))),
        ("sandboxAccountType", "portals:\n  - {name: a, portalId: 1, authType: apikey, apiKey: k, sandboxAccountType: STANDARD}\n".into()),
        ("yes as name", format!("defaultAccount: yes\naccounts:\n{}", acct("yes", "1", ""))),
        ("anchor on account", "defaultAccount: 1\naccounts:\n  - &x\n    name: a\n    accountId: 1\n    authType: apikey\n    apiKey: k\n".into()),
        ("crlf", "accounts:\r\n  - name: a\r\n    accountId: 1\r\n    authType: apikey\r\n    apiKey: k\r\n".into()),
        ("bom", "\u{feff}accounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("document markers", "---\naccounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\n...\n".into()),
        ("tagged str id", "defaultAccount: a\naccounts:\n  - {name: a, accountId: !!str 5, authType: apikey, apiKey: k}\n".into()),
        ("tagged int name", "accounts:\n  - {name: !!int '5', accountId: 5, authType: apikey, apiKey: k}\n".into()),
        ("key null", "~: 1\naccounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("key number", "5: 1\naccounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("control character in a key", "accounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k\u{1b}}\n".into()),
        ("control character quoted", "accounts:\n  - {name: \"a\u{7}\", accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("DEL quoted", "accounts:\n  - {name: \"a\u{7f}\", accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("escape in a comment", "# \u{1b}[0m\naccounts:\n  - {name: a, accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("local tag", "accounts:\n  - {name: !secret a, accountId: 1, authType: apikey, apiKey: k}\n".into()),
        ("verbatim str tag", "accounts:\n  - {name: !<tag:yaml.org,2002:str> 5, accountId: 5, authType: apikey, apiKey: k}\n".into()),
        ("int tag on text", "accounts:\n  - {name: a, accountId: !!int x, authType: apikey, apiKey: k}\n".into()),
    ]
}

/// Literal YAML for each field, with a weight towards what is valid.
const NAMES: &[&str] = &[
    "a",
    "b",
    "prod",
    "sandbox-1",
    "A",
    "Prod",
    "'two words'",
    "789",
    "'2024'",
    "null",
    "2024-05-06",
    "''",
    "true",
    "yes",
];
const IDS: &[&str] = &[
    "111",
    "222",
    "333",
    "'111'",
    "0",
    "''",
    "1e3",
    "0x10",
    "abc",
    "12.0",
    "-7",
    "99999999999999999999",
    "+5",
    "0b101",
];
const AUTH_TYPES: &[&str] =
    &["personalaccesskey", "personalaccesskey", "oauth2", "apikey", "PersonalAccessKey", "''", "saml"];
const ENVS: &[&str] = &["prod", "qa", "QA", "''", "5", "staging"];
const DEFAULTS: &[&str] =
    &["111", "222", "a", "b", "'111'", "999", "nobody", "''", "0", "222abc", "Prod", "2024-05-06"];

fn account(rng: &mut Rng, legacy: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    if rng.chance(90) {
        lines.push(format!("name: {}", rng.pick(NAMES)));
    }
    if rng.chance(92) {
        let key = if legacy && rng.chance(80) { "portalId" } else { "accountId" };
        lines.push(format!("{key}: {}", rng.pick(IDS)));
    }
    let auth_type = *rng.pick(AUTH_TYPES);
    if rng.chance(92) {
        lines.push(format!("authType: {auth_type}"));
    }
    let credential = match auth_type {
        "oauth2" => "auth: {clientId: c, clientSecret: s, tokenInfo: {refreshToken: r}}",
        "apikey" => "apiKey: k",
        _ => "personalAccessKey: pak-test",
    };
    match rng.below(10) {
        0 => lines.push(credential.split(':').next().unwrap().to_string() + ": ''"),
        1 => {}
        _ => lines.push(credential.to_string()),
    }
    if auth_type != "oauth2" && rng.chance(70) {
        lines.push("auth: {tokenInfo: {}}".into());
    }
    if rng.chance(40) {
        lines.push(format!("env: {}", rng.pick(ENVS)));
    }
    if rng.chance(15) {
        lines.push(format!("accountType: {}", rng.pick(&["STANDARD", "DEVELOPER_TEST", "other"])));
    }
    if rng.chance(5) {
        lines.push("colour: blue".into());
    }
    if rng.chance(30) {
        format!("  - {{{}}}\n", lines.join(", "))
    } else if lines.is_empty() {
        "  -\n".into()
    } else {
        format!("  - {}\n", lines.join("\n    "))
    }
}

fn generated(rng: &mut Rng) -> String {
    let legacy = rng.chance(25);
    let mut text = String::new();
    if rng.chance(75) {
        let key = if legacy && rng.chance(60) { "defaultPortal" } else { "defaultAccount" };
        text.push_str(&format!("{key}: {}\n", rng.pick(DEFAULTS)));
    }
    if rng.chance(15) {
        text.push_str(&format!("httpTimeout: {}\n", rng.pick(&["5000", "'5000'", "100", "0", "fast"])));
    }
    if rng.chance(10) {
        text.push_str(&format!("allowUsageTracking: {}\n", rng.pick(&["true", "'yes'", "no", "1"])));
    }
    if rng.chance(8) {
        text.push_str(&format!("flags: {}\n", rng.pick(&["[A]", "\"STRING\"", "[1]", ""])));
    }
    if rng.chance(8) {
        text.push_str(&format!("defaultCmsPublishMode: {}\n", rng.pick(&["draft", "later", "''"])));
    }
    let list = if legacy { "portals" } else { "accounts" };
    text.push_str(&format!("{list}:\n"));
    for _ in 0..rng.below(4) {
        text.push_str(&account(rng, legacy));
    }
    if legacy && rng.chance(15) {
        text.push_str("accounts:\n");
        text.push_str(&account(rng, false));
    }
    text
}

/// Every config: the hand-written ones, then 260 generated from a fixed seed.
pub fn all() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = hand_written().into_iter().map(|(id, t)| (id.to_string(), t)).collect();
    let mut rng = Rng::new(0x0048_5542_5350_4f54);
    for i in 0..260 {
        out.push((format!("generated #{i}"), generated(&mut rng)));
    }
    out
}
