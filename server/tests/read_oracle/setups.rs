//! Resolution setups: a config with settings files, `.hsaccount`s and environment variables
//! around it, hand-written and generated.

use super::rng::Rng;
use super::Case;

const GLOBAL: &str = ".hscli/config.yml";
const BASE: &str = "defaultAccount: 111\naccounts:\n  - {name: a, accountId: 111, authType: personalaccesskey, personalAccessKey: pak-a, auth: {tokenInfo: {}}}\n  - {name: b, accountId: 222, authType: personalaccesskey, personalAccessKey: pak-b, auth: {tokenInfo: {}}}\n  - {name: '444', accountId: 333, authType: personalaccesskey, personalAccessKey: pak-c, auth: {tokenInfo: {}}}\n";
const QUOTED: &str = "defaultAccount: a\naccounts:\n  - {name: a, accountId: '111', authType: personalaccesskey, personalAccessKey: pak-a, auth: {tokenInfo: {}}}\n";
const NO_DEFAULT: &str = "accounts:\n  - {name: a, accountId: 111, authType: personalaccesskey, personalAccessKey: pak-a, auth: {tokenInfo: {}}}\n";
const ENV_OK: &[(&str, &str)] = &[
    ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
    ("HUBSPOT_ACCOUNT_ID", "777"),
    ("HUBSPOT_PERSONAL_ACCESS_KEY", "pak-env"),
];

fn case(id: &str, files: &[(&str, &str)], cwd: &str, env: &[(&str, &str)]) -> Case {
    Case {
        id: format!("setup {id}"),
        files: files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
        cwd: cwd.into(),
        env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

fn hand_written() -> Vec<Case> {
    let g = (GLOBAL, BASE);
    let s = |text: &'static str| ("proj/.hs/settings.json", text);
    let h = |text: &'static str| ("proj/.hsaccount", text);
    vec![
        case("global default", &[g], "proj", &[]),
        case(
            "settings local default",
            &[g, s("{\"accounts\": [111, 222], \"localDefaultAccount\": 222}")],
            "proj/sub",
            &[],
        ),
        case(
            "settings local default by name",
            &[g, s("{\"accounts\": [222], \"localDefaultAccount\": \"b\"}")],
            "proj",
            &[],
        ),
        case(
            "settings local default digit name",
            &[g, s("{\"accounts\": [333], \"localDefaultAccount\": \"444\"}")],
            "proj",
            &[],
        ),
        case(
            "settings local default unknown",
            &[g, s("{\"accounts\": [111], \"localDefaultAccount\": 999}")],
            "proj",
            &[],
        ),
        case("settings local default 0", &[g, s("{\"accounts\": [111], \"localDefaultAccount\": 0}")], "proj", &[]),
        case(
            "settings local default quoted",
            &[g, s("{\"accounts\": [222], \"localDefaultAccount\": \"222\"}")],
            "proj",
            &[],
        ),
        case(
            "settings local default not linked",
            &[g, s("{\"accounts\": [111], \"localDefaultAccount\": 222}")],
            "proj",
            &[],
        ),
        case("settings linked unknown", &[g, s("{\"accounts\": [999]}")], "proj", &[]),
        case("settings linked string", &[g, s("{\"accounts\": [\"222\"]}")], "proj", &[]),
        case("settings without accounts", &[g, s("{\"localDefaultAccount\": 222}")], "proj", &[]),
        case("settings accounts empty", &[g, s("{\"accounts\": []}")], "proj", &[]),
        case("settings null", &[g, s("null")], "proj", &[]),
        case("settings empty file", &[g, s("")], "proj", &[]),
        case("settings whitespace file", &[g, s("  \n\t\n")], "proj", &[]),
        case("settings invalid json", &[g, s("{\"accounts\": [111],")], "proj", &[]),
        case("settings comment", &[g, s("// linked\n{\"accounts\": [111]}")], "proj", &[]),
        case("settings list", &[g, s("[111]")], "proj", &[]),
        case("hsaccount id", &[g, h("222")], "proj/sub", &[]),
        case("hsaccount id with junk", &[g, h("  222abc\n")], "proj", &[]),
        case("hsaccount name", &[g, h("b")], "proj", &[]),
        case("hsaccount empty", &[g, h("")], "proj", &[]),
        case("hsaccount unknown", &[g, h("999")], "proj", &[]),
        case("hsaccount 0", &[g, h("0")], "proj", &[]),
        case("hsaccount digit name", &[g, h("444")], "proj", &[]),
        case(
            "settings beat hsaccount",
            &[g, s("{\"accounts\": [222], \"localDefaultAccount\": 222}"), h("333")],
            "proj",
            &[],
        ),
        case("settings without default then hsaccount", &[g, s("{\"accounts\": [222]}"), h("333")], "proj", &[]),
        case(
            "settings default 0 then bad hsaccount",
            &[g, s("{\"accounts\": [222], \"localDefaultAccount\": 0}"), h("b")],
            "proj",
            &[],
        ),
        case("legacy ignores hsaccount", &[("proj/hubspot.config.yml", BASE), h("333")], "proj", &[]),
        case("legacy ignores bad hsaccount", &[("proj/hubspot.config.yml", BASE), h("b")], "proj", &[]),
        case("legacy yaml extension", &[("hubspot.config.yaml", BASE)], "proj", &[]),
        case(
            "legacy yml before yaml",
            &[("proj/hubspot.config.yml", BASE), ("proj/hubspot.config.yaml", NO_DEFAULT)],
            "proj",
            &[],
        ),
        case(
            "legacy nearest wins",
            &[("hubspot.config.yml", NO_DEFAULT), ("proj/hubspot.config.yml", BASE)],
            "proj/sub",
            &[],
        ),
        case("global beats legacy", &[g, ("proj/hubspot.config.yml", NO_DEFAULT)], "proj", &[]),
        case("no config", &[h("222")], "proj", &[]),
        case("config path exact", &[g, h("222")], "proj", &[("HUBSPOT_CONFIG_PATH", "{HOME}/.hscli/config.yml")]),
        case("config path with ./", &[g, h("222")], "proj", &[("HUBSPOT_CONFIG_PATH", "{HOME}/.hscli/./config.yml")]),
        case("config path with //", &[g, h("222")], "proj", &[("HUBSPOT_CONFIG_PATH", "{HOME}//.hscli/config.yml")]),
        case(
            "config path with ..",
            &[g, h("222")],
            "proj",
            &[("HUBSPOT_CONFIG_PATH", "{HOME}/proj/../.hscli/config.yml")],
        ),
        case(
            "config path with bad hsaccount",
            &[g, h("b")],
            "proj",
            &[("HUBSPOT_CONFIG_PATH", "{HOME}/.hscli/./config.yml")],
        ),
        case(
            "config path custom",
            &[g, ("custom.yml", NO_DEFAULT), h("222")],
            "proj",
            &[("HUBSPOT_CONFIG_PATH", "{HOME}/custom.yml")],
        ),
        case(
            "config path custom with settings",
            &[("custom.yml", BASE), s("{\"accounts\": [222], \"localDefaultAccount\": \"b\"}")],
            "proj",
            &[("HUBSPOT_CONFIG_PATH", "{HOME}/custom.yml")],
        ),
        case("config path missing", &[g], "proj", &[("HUBSPOT_CONFIG_PATH", "{HOME}/nowhere.yml")]),
        case("quoted id by name", &[(GLOBAL, QUOTED)], "proj", &[]),
        case(
            "quoted id by local default name",
            &[(GLOBAL, QUOTED), s("{\"accounts\": [111], \"localDefaultAccount\": \"a\"}")],
            "proj",
            &[],
        ),
        case(
            "quoted id by local default id",
            &[(GLOBAL, QUOTED), s("{\"accounts\": [111], \"localDefaultAccount\": 111}")],
            "proj",
            &[],
        ),
        case("quoted id by hsaccount", &[(GLOBAL, QUOTED), h("111")], "proj", &[]),
        case("env mode", &[g], "proj", ENV_OK),
        case("env mode without config file", &[], "proj", ENV_OK),
        case(
            "env mode with local default",
            &[g, s("{\"accounts\": [777], \"localDefaultAccount\": 777}")],
            "proj",
            ENV_OK,
        ),
        case("env mode with hsaccount", &[g, h("777")], "proj", ENV_OK),
        case("env mode with foreign hsaccount", &[g, h("222")], "proj", ENV_OK),
        case("env mode with legacy and hsaccount", &[("proj/hubspot.config.yml", BASE), h("222")], "proj", ENV_OK),
        case(
            "env mode portal id",
            &[g],
            "proj",
            &[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_PORTAL_ID", "12x"), ("HUBSPOT_API_KEY", "k")],
        ),
        case(
            "env mode oauth",
            &[g],
            "proj",
            &[
                ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
                ("HUBSPOT_ACCOUNT_ID", "5"),
                ("HUBSPOT_CLIENT_ID", "c"),
                ("HUBSPOT_CLIENT_SECRET", "s"),
                ("HUBSPOT_REFRESH_TOKEN", "r"),
            ],
        ),
        case(
            "env mode id 0",
            &[g],
            "proj",
            &[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_ACCOUNT_ID", "0"), ("HUBSPOT_API_KEY", "k")],
        ),
        case(
            "env mode without id",
            &[g],
            "proj",
            &[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_API_KEY", "k")],
        ),
        case(
            "env mode without credential",
            &[g],
            "proj",
            &[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"), ("HUBSPOT_ACCOUNT_ID", "5")],
        ),
        case(
            "env mode and config path",
            &[g],
            "proj",
            &[
                ("USE_ENVIRONMENT_HUBSPOT_CONFIG", "true"),
                ("HUBSPOT_ACCOUNT_ID", "5"),
                ("HUBSPOT_API_KEY", "k"),
                ("HUBSPOT_CONFIG_PATH", "{HOME}/.hscli/config.yml"),
            ],
        ),
        case(
            "env mode 1 reads files",
            &[g, h("222")],
            "proj",
            &[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "1"), ("HUBSPOT_ACCOUNT_ID", "5")],
        ),
        case(
            "env mode TRUE reads files",
            &[g],
            "proj",
            &[("USE_ENVIRONMENT_HUBSPOT_CONFIG", "TRUE"), ("HUBSPOT_ACCOUNT_ID", "5"), ("HUBSPOT_API_KEY", "k")],
        ),
    ]
}

const SETTINGS: &[&str] = &[
    "{\"accounts\": [111, 222], \"localDefaultAccount\": 222}",
    "{\"accounts\": [222], \"localDefaultAccount\": \"b\"}",
    "{\"accounts\": [111], \"localDefaultAccount\": 999}",
    "{\"accounts\": [111]}",
    "{\"accounts\": [], \"localDefaultAccount\": 0}",
    "{\"localDefaultAccount\": 333}",
    "{\"accounts\": [333], \"localDefaultAccount\": \"444\"}",
    "null",
    "",
    "{\"accounts\": [1",
];
const HSACCOUNTS: &[&str] = &["222", "333\n", "b", "999", "", " 111x"];
const CONFIG_PATHS: &[&str] =
    &["{HOME}/.hscli/config.yml", "{HOME}/.hscli/./config.yml", "{HOME}/.hscli//config.yml", "{HOME}/custom.yml"];

fn generated(rng: &mut Rng, i: usize) -> Case {
    let mut files: Vec<(String, String)> = Vec::new();
    let config = *rng.pick(&[BASE, BASE, NO_DEFAULT, QUOTED]);
    match rng.below(4) {
        0 => files.push(("proj/hubspot.config.yml".into(), config.into())),
        _ => files.push((GLOBAL.into(), config.into())),
    }
    // Settings and `.hsaccount` at the project or its parent; commands run below them.
    let place = |rng: &mut Rng| if rng.chance(70) { "proj" } else { "." };
    if rng.chance(60) {
        files.push((format!("{}/.hs/settings.json", place(rng)), rng.pick(SETTINGS).to_string()));
    }
    if rng.chance(50) {
        files.push((format!("{}/.hsaccount", place(rng)), rng.pick(HSACCOUNTS).to_string()));
    }
    let mut env: Vec<(String, String)> = Vec::new();
    if rng.chance(25) {
        let path = *rng.pick(CONFIG_PATHS);
        if path.ends_with("custom.yml") {
            files.push(("custom.yml".into(), rng.pick(&[BASE, NO_DEFAULT]).to_string()));
        }
        env.push(("HUBSPOT_CONFIG_PATH".into(), path.into()));
    } else if rng.chance(15) {
        env.extend(ENV_OK.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    }
    let cwd = rng.pick(&["proj", "proj/sub", "proj/sub/deeper"]).to_string();
    Case { id: format!("setup generated #{i}"), files, cwd, env }
}

/// Every setup: the hand-written ones, then 120 generated from a fixed seed.
pub fn all() -> Vec<Case> {
    let mut out = hand_written();
    let mut rng = Rng::new(0x5345_5455_5053);
    for i in 0..120 {
        out.push(generated(&mut rng, i));
    }
    out
}
