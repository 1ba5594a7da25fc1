-- nvim-lspconfig (the `require('lspconfig').hubspot_ls.setup({})` framework) configuration.
local hubspot = require('hubspot_ls')

return {
  default_config = {
    cmd = hubspot.options.cmd,
    filetypes = hubspot.filetypes,
    -- Only HubSpot files get a root, so only they start/attach the server.
    root_dir = function(fname)
      if not hubspot.is_hubspot_file(fname) then
        return nil
      end
      return hubspot.find_root(fname)
    end,
    single_file_support = false,
    -- Client-side handlers for code-action commands (lspconfig's own `commands` key means
    -- user commands, so they are installed on the client here).
    on_new_config = function(config)
      config.cmd = config.cmd or hubspot.options.cmd
    end,
    on_init = function(client)
      client.commands = vim.tbl_extend('force', client.commands or {}, hubspot.command_handlers())
    end,
  },
  docs = {
    description = [[
hubspot-ls: diagnostics, completion and quick fixes for the HubSpot CLI's config files
(~/.hscli/config.yml, hubspot.config.yml, .hs/settings.json, .hsaccount).
Install the `hubspot-ls` binary on PATH (cargo build --release -p hubspot-ls).
]],
  },
}
