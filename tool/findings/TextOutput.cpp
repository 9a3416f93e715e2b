#include "TextOutput.h"

#include "llvm/Support/Format.h"

#include <set>

namespace lockgraph {

namespace {
enum class Kind { Warning, Error, Note };

class DiagnosticPrinter {
public:
  DiagnosticPrinter(llvm::raw_ostream &OS, const TextStyle &Style)
      : OS(OS), Style(Style) {
    OS.enable_colors(Style.Color);
  }

  void print(Kind K, const std::optional<SourcePoint> &Where,
             llvm::StringRef Message, llvm::StringRef Check) {
    bold();
    if (Where)
      OS << pathRelativeTo(Where->File, Style.DisplayRoot) << ':'
         << Where->Line << ':' << Where->Column << ": ";
    else
      OS << "lockgraph: ";
    switch (K) {
    case Kind::Warning:
      color(llvm::raw_ostream::MAGENTA);
      OS << "warning: ";
      break;
    case Kind::Error:
      color(llvm::raw_ostream::RED);
      OS << "error: ";
      break;
    case Kind::Note:
      color(llvm::raw_ostream::BLACK);
      OS << "note: ";
      break;
    }
    bold();
    OS << Message;
    if (!Check.empty())
      OS << " [" << Check << ']';
    reset();
    OS << '\n';
    if (Where)
      printSourceLine(*Where);
  }

private:
  // Clang's layout: "   12 |   code" then "      |   ^".
  void printSourceLine(const SourcePoint &P) {
    std::string Number = std::to_string(P.Line);
    size_t Width = std::max<size_t>(5, Number.size() + 1);
    OS << std::string(Width - Number.size(), ' ') << Number << " | "
       << P.LineText << '\n';
    OS << std::string(Width, ' ') << " | ";
    // Keep tabs so the caret lines up, and count a UTF-8 sequence once.
    llvm::StringRef Before =
        llvm::StringRef(P.LineText).take_front(P.Column > 0 ? P.Column - 1 : 0);
    for (char C : Before) {
      if ((static_cast<unsigned char>(C) & 0xC0) == 0x80)
        continue;
      OS << (C == '\t' ? '\t' : ' ');
    }
    color(llvm::raw_ostream::GREEN);
    OS << '^';
    reset();
    OS << '\n';
  }

  void bold() {
    if (Style.Color)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  }
  void color(llvm::raw_ostream::Colors C) {
    if (Style.Color)
      OS.changeColor(C, /*Bold=*/true);
  }
  void reset() {
    if (Style.Color)
      OS.resetColor();
  }

  llvm::raw_ostream &OS;
  const TextStyle &Style;
};
} // namespace

void writeTextFindings(llvm::raw_ostream &OS, const CheckReport &Report,
                       const TextStyle &Style) {
  DiagnosticPrinter Printer(OS, Style);
  auto Print = [&](const Finding &F) {
    Printer.print(F.Level == Severity::Error ? Kind::Error : Kind::Warning,
                  F.Where, F.Message, F.Check);
    for (const FindingNote &N : F.Notes)
      Printer.print(Kind::Note, N.Where, N.Message, "");
  };
  // Lock bugs first; performance advice after them, under its own heading,
  // so a reader sees what can deadlock before what makes threads wait.
  size_t Advice = 0;
  for (const Finding &F : Report.Findings)
    if (F.Level != Severity::Note)
      Print(F);
    else
      ++Advice;
  if (Advice == 0)
    return;
  OS << "lockgraph: performance advice (" << counted(Advice, "finding")
     << "): critical sections that make other threads wait\n";
  for (const Finding &F : Report.Findings)
    if (F.Level == Severity::Note)
      Print(F);
}

void writeTextFailures(llvm::raw_ostream &OS, const CheckReport &Report,
                       const TextStyle &Style) {
  DiagnosticPrinter Printer(OS, Style);
  for (const InputFailure &F : Report.Failures) {
    std::string Message = "'" + pathRelativeTo(F.File, Style.DisplayRoot) +
                          "' " + F.Reason;
    if (F.ErrorCount > 1)
      Message += " (" + std::to_string(F.ErrorCount) + " errors; the first follows)";
    Printer.print(Kind::Error, std::nullopt, Message, "");
    if (F.FirstError)
      Printer.print(Kind::Error, F.FirstError->Where, F.FirstError->Message, "");
  }
}

std::string counted(size_t N, llvm::StringRef Singular) {
  return std::to_string(N) + " " + Singular.str() + (N == 1 ? "" : "s");
}

void writeSummary(llvm::raw_ostream &OS, const CheckReport &Report) {
  std::set<std::string> FilesWithFindings;
  for (const Finding &F : Report.Findings)
    FilesWithFindings.insert(F.Where ? F.Where->File : "");

  OS << "lockgraph: ";
  if (Report.Findings.empty())
    OS << "no findings";
  else
    OS << counted(Report.Findings.size(), "finding") << " in "
       << counted(FilesWithFindings.size(), "file");
  OS << " (" << counted(Report.FilesAnalyzed, "file") << " analyzed";
  if (Report.SuppressedByNolint > 0)
    OS << ", " << Report.SuppressedByNolint << " suppressed by NOLINT";
  if (!Report.Failures.empty())
    OS << ", " << Report.Failures.size() << " could not be analyzed";
  OS << ")\n";
}

} // namespace lockgraph
