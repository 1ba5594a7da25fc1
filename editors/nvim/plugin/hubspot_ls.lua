-- Loaded at startup when this folder is on 'runtimepath': filetype detection for the HubSpot
-- CLI's files and the :HubSpot… user commands. The language server itself starts with
-- vim.lsp.enable('hubspot_ls') (0.11+), require('lspconfig').hubspot_ls.setup({}), or
-- require('hubspot_ls').setup({}) (any Neovim from 0.7).
if vim.g.loaded_hubspot_ls then
  return
end
vim.g.loaded_hubspot_ls = true

local hubspot = require('hubspot_ls')
hubspot.add_filetypes()
if vim.api.nvim_create_user_command then
  hubspot.create_user_commands()
end
