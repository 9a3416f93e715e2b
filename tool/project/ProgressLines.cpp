//===- ProgressLines.cpp --------------------------------------------------===//

#include "ProgressLines.h"
#include "Findings.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace lockgraph {
namespace {

std::chrono::steady_clock::duration logPeriod() {
  unsigned Seconds = 30;
  if (const char *Text = std::getenv("LOCKGRAPH_PROGRESS_SECONDS"))
    if (llvm::StringRef(Text).trim().getAsInteger(10, Seconds))
      Seconds = 30;
  return std::chrono::seconds(Seconds);
}

} // namespace

ProgressLines::ProgressLines(bool Enabled, std::string Cwd)
    : Enabled(Enabled), Terminal(llvm::sys::Process::StandardErrIsDisplayed()), Cwd(std::move(Cwd)),
      Period(logPeriod()), Start(std::chrono::steady_clock::now()), LastLine(Start) {}

void ProgressLines::starting(unsigned Index, unsigned Total, llvm::StringRef File) {
  if (!Enabled)
    return;
  std::string Shown = pathRelativeTo(File.str(), Cwd);
  if (Terminal) {
    llvm::errs() << '[' << Index << '/' << Total << "] " << Shown << '\n';
    return;
  }
  auto Now = std::chrono::steady_clock::now();
  if (Now - LastLine < Period)
    return;
  LastLine = Now;
  auto Elapsed = std::chrono::duration_cast<std::chrono::seconds>(Now - Start).count();
  llvm::errs() << "lockgraph: starting file " << Index << " of " << Total << " after " << Elapsed << " s: " << Shown
               << '\n';
}

} // namespace lockgraph
