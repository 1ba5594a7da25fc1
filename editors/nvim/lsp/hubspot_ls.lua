-- hubspot-ls for Neovim 0.11+ (`vim.lsp.config` format, as in nvim-lspconfig's lsp/ folder).
--
--   vim.lsp.enable('hubspot_ls')
--
-- With this plugin on 'runtimepath' the full configuration comes from lua/hubspot_ls (client-side
-- prompts for keys and secret values, :HubSpot… commands). Copied alone into your config's lsp/
-- folder, the fallback below still attaches hubspot-ls to the HubSpot CLI's files.

local ok, hubspot = pcall(require, 'hubspot_ls')
if ok then
  return hubspot.config()
end

local function is_hubspot_file(path)
  path = (path or ''):gsub('\\', '/')
  return path:match('/%.hscli/config%.yml$') ~= nil
    or path:match('/hubspot%.config%.ya?ml$') ~= nil
    or path:match('/%.hs/settings%.json$') ~= nil
    or path:match('/%.hsaccount$') ~= nil
end

---@type vim.lsp.Config
return {
  cmd = { 'hubspot-ls' },
  filetypes = { 'yaml', 'json', 'jsonc', 'hsaccount' },
  root_markers = { '.hs', '.hsaccount', '.git' },
  workspace_required = false,
  -- Attach to HubSpot files only (the server ignores other files anyway), including
  -- ~/.hscli/config.yml, which has no project root: its own folder is used.
  root_dir = function(bufnr, on_dir)
    local path = vim.api.nvim_buf_get_name(bufnr)
    if not is_hubspot_file(path) then
      return
    end
    if path:match('/%.hscli/config%.yml$') then
      return on_dir(vim.fs.dirname(path))
    end
    on_dir(vim.fs.root(bufnr, { '.hs', '.hsaccount', '.git' }) or vim.fs.dirname(path))
  end,
}
