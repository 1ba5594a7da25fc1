//! `hubspot-ls`: see `hubspot_ls::cli` for the commands.

fn main() {
    hubspot_ls::cli::main()
}
