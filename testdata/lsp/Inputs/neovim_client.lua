-- Neovim (0.7) as a real LSP client of `lockgraph lsp`: opens $LSP_FILE,
-- waits for diagnostics, prints what the editor holds, applies the NOLINT
-- quick fix through Neovim's own code, saves, and prints the diagnostics
-- again. Lines start with DIAG, ACTION, LINE, AFTER, EXIT for FileCheck;
-- any failure prints FAIL and exits non-zero. Run as
--   nvim --headless -u NONE -i NONE -n -c "luafile neovim_client.lua"
local lockgraph = assert(os.getenv("LOCKGRAPH"), "set LOCKGRAPH")
local file = assert(os.getenv("LSP_FILE"), "set LSP_FILE")
local timeout_ms = 90000

local function out(text) io.stdout:write(text .. "\n") end
local function fail(text)
  out("FAIL " .. text)
  io.stdout:flush()
  vim.cmd("cquit 1")
end

local exit_code
local client_id = vim.lsp.start_client({
  name = "lockgraph",
  cmd = { lockgraph, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  on_exit = function(code) exit_code = code end,
})
if not client_id then fail("vim.lsp.start_client") end

vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.lsp.buf_attach_client(0, client_id)
if not vim.wait(timeout_ms, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  fail("no diagnostics within " .. timeout_ms .. " ms")
end

local diagnostics = vim.diagnostic.get(0)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
for _, d in ipairs(diagnostics) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  out(string.format("DIAG %d:%d %s source=%s severity=%s related=%d href=%s | %s",
    d.lnum + 1, d.col + 1, tostring(d.code), tostring(d.source), vim.diagnostic.severity[d.severity],
    #(lsp.relatedInformation or {}), lsp.codeDescription and lsp.codeDescription.href or "-",
    (d.message:gsub("\n", " / "))))
end

-- The quick fix, requested and applied as `:lua vim.lsp.buf.code_action()`
-- would, on the line of the lock-across-await finding.
local target
for _, d in ipairs(diagnostics) do
  if d.code == "lockgraph-lock-across-await" then target = d end
end
if not target then fail("no lockgraph-lock-across-await diagnostic") end
vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0) }
local responses = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, timeout_ms)
if not responses or not responses[client_id] or not responses[client_id].result then
  fail("no codeAction response")
end
for _, action in ipairs(responses[client_id].result) do
  out("ACTION " .. action.kind .. " | " .. action.title)
  if action.title:find("lockgraph-lock-across-await", 1, true) then
    vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  end
end
out("LINE " .. target.lnum + 1 .. " | " .. vim.api.nvim_buf_get_lines(0, target.lnum, target.lnum + 1, true)[1])

-- Saving sends didSave; the finding is gone once the server re-analysed.
vim.cmd("silent write")
local function still_there()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == "lockgraph-lock-across-await" then return true end
  end
  return false
end
if not vim.wait(timeout_ms, function() return not still_there() end, 50) then
  fail("the NOLINT did not clear the finding after saving")
end
out("AFTER SAVE " .. #vim.diagnostic.get(0) .. " diagnostics, none lockgraph-lock-across-await")

-- Stopping the client sends shutdown and exit; the server exits with 0.
vim.lsp.stop_client(client_id)
if not vim.wait(timeout_ms, function() return exit_code ~= nil end, 50) then
  fail("the server did not exit")
end
out("EXIT " .. exit_code)
io.stdout:flush()
vim.cmd("qall!")
