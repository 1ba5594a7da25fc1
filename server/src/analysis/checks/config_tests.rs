use super::*;
use serde_json::json;

#[test]
fn the_index_answers_as_find_does() {
    let tree = crate::syntax::yaml::parse(
        "accounts:\n  - {name: '2024', accountId: 111}\n  - {name: b, accountId: '123'}\n  - {name: c, accountId: 2024}\n  - {name: '77', accountId: 5}\n",
    );
    let es = super::super::accounts::entries(&tree);
    let accounts = accounts(&tree);
    let index = Index::new(&accounts);
    for ident in [
        json!(2024),
        json!("2024"),
        json!(123),
        json!("b"),
        json!("111x"),
        json!(111),
        json!(77),
        json!(5),
        json!(6),
        json!("zz"),
        json!(1.5),
    ] {
        assert_eq!(index.resolves(&ident), super::super::accounts::find(&es, &ident).is_some(), "{ident}");
    }
}
