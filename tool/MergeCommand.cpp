//===- MergeCommand.cpp ---------------------------------------------------===//

#include "MergeCommand.h"

#include "CheckCommand.h"
#include "GraphInputs.h"
#include "LinkLimits.h"
#include "OutputFile.h"
#include "GraphOutput.h"
#include "HtmlGraphOutput.h"
#include "FindingsOutput.h"
#include "MergedCycles.h"
#include "SourceFiles.h"
#include "TextOutput.h"
#include "WholeProgram.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"


namespace lockgraph {
namespace {

const OptionSpec MergeOutputOptions[] = {
    {"format", "FORMAT", "Findings as text (default), json or sarif."},
    {"output", "FILE", "Write the findings to FILE instead of standard output.", "o"},
    {"html", "FILE", "Also draw the merged graph as one HTML page in FILE."},
    {"dot", "FILE", "Also write the merged graph as DOT to FILE."},
    {"graph-json", "FILE", "Also write the merged graph as JSON to FILE."},
    {"color", "WHEN", "Color text output: auto (default), always, never."},
    {"quiet", "", "Do not print the summary line on standard error."},
};

std::vector<OptionSpec> mergeOptions() {
  std::vector<OptionSpec> Out(std::begin(GraphInputOptions), std::end(GraphInputOptions));
  Out.insert(Out.end() - 1, std::begin(MergeOutputOptions), std::end(MergeOutputOptions));
  Out.insert(Out.end() - 1, std::begin(LinkLimitOptions), std::end(LinkLimitOptions));
  return Out;
}

void printMergeHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: lockgraph merge [options] <facts files or directories...> --runtime=FILE...\n"
        "       lockgraph merge [options] -p <build dir> --runtime=FILE...\n"
        "\n"
        "Combines the static lock-order graph with the orders seen at run time\n"
        "(JSON reports of 'lockgraph run --report-graph') and reports the cycles\n"
        "neither half sees alone: an order seen only at run time that closes a\n"
        "cycle with orders found statically, or the reverse. Runtime locks become\n"
        "static lock classes where one of their acquisition stacks passes a\n"
        "static acquisition site (file:line). Cycles each half finds alone are\n"
        "reported by 'lockgraph check' and 'lockgraph run'; the merged graph\n"
        "(--html, --dot, --graph-json) shows them all.\n"
        "\n"
        "OPTIONS:\n";
  printOptionHelp(OS, mergeOptions());
  OS << "\nEXIT STATUS:\n"
        "  0  no cycle needs both halves\n"
        "  1  findings were reported\n"
        "  2  usage or input error: unknown option, missing or corrupt file,\n"
        "     a runtime report of another schema\n"
        "\nEXAMPLES:\n"
        "  lockgraph run --report-path=run.json --report-graph -- ./build/bin/tests\n"
        "  lockgraph merge -p build --runtime=run.json --html=locks.html\n"
        "  lockgraph merge build/facts --runtime=a.json --runtime=b.json --format=sarif -o merged.sarif\n";
}

int usageError(const std::string &Message) {
  llvm::errs() << "lockgraph merge: error: " << Message << '\n';
  return ExitUsageOrInputError;
}

} // namespace

int runMergeCommand(llvm::ArrayRef<std::string> Args) {
  auto Parsed = parseArgs(mergeOptions(), Args);
  if (!Parsed)
    return usageError(llvm::toString(Parsed.takeError()));
  if (Parsed->has("help")) {
    printMergeHelp(llvm::outs());
    return ExitClean;
  }
  auto Format = parseOutputFormat(Parsed->last("format").value_or("text"));
  if (!Format)
    return usageError(llvm::toString(Format.takeError()));
  std::string ColorWhen = Parsed->last("color").value_or("auto");
  if (llvm::Error E = checkColorChoice(ColorWhen))
    return usageError(llvm::toString(std::move(E)));
  if (!Parsed->last("p") && Parsed->Positionals.empty() && !Parsed->has("runtime"))
    return usageError("name facts files or directories, or use -p <build dir>, for the static half, and runtime "
                      "reports (--runtime=FILE or DIR)");

  auto Inputs = loadGraphInputs(*Parsed);
  if (!Inputs)
    return usageError(llvm::toString(Inputs.takeError()));
  if (Inputs->Reports.empty())
    return usageError("give at least one runtime report with --runtime=FILE or DIR");
  for (const RuntimeReport &R : Inputs->Reports)
    if (!R.HasGraph)
      llvm::errs() << "lockgraph merge: warning: runtime report '" << R.Path
                   << "' has no \"graph\" section (run with --report-graph); only the orders of its reported "
                      "inversions are merged\n";

  std::string Root = absolutePath(Parsed->last("source-root").value_or("."));
  const CombinedGraph &Graph = Inputs->Graph;
  for (auto [Option, Write] :
       {std::pair{"html", &writeGraphHtml}, std::pair{"dot", &writeGraphDot}, std::pair{"graph-json", &writeGraphJson}}) {
    std::optional<std::string> Path = Parsed->last(Option);
    if (!Path)
      continue;
    auto OS = OutputFile::open(Path);
    if (!OS)
      return usageError(llvm::toString(OS.takeError()));
    Write((*OS)->stream(), Graph, Root);
    if (llvm::Error E = (*OS)->commit())
      return usageError(llvm::toString(std::move(E)));
  }

  CheckReport Report;
  Report.SourceRoot = Root;
  Report.EnabledChecks = {LockOrderCheckName};
  Report.Findings = findingsOf(mergedCycleReports(Graph));
  Report.finalize();

  auto Out = OutputFile::open(Parsed->last("output"));
  if (!Out)
    return usageError(llvm::toString(Out.takeError()));
  bool Terminal = (*Out)->isStandardOutput() && llvm::sys::Process::StandardOutIsDisplayed();
  writeFindings((*Out)->stream(), Report, *Format, TextStyle{useColor(ColorWhen, Terminal), absolutePath(".")});
  if (llvm::Error E = (*Out)->commit())
    return usageError(llvm::toString(std::move(E)));

  if (!Parsed->has("quiet")) {
    CombinedGraph::EdgeCounts N = Graph.edgeCounts();
    size_t BothHalves = 0, AcrossProcesses = 0;
    for (const CombinedCycle &C : Graph.cycles()) {
      BothHalves += C.needsBothHalves();
      AcrossProcesses += C.spansProcesses();
    }
    llvm::errs() << llvm::formatv("lockgraph merge: {0}, {1} ({2} static only, {3} run time only, {4} both), {5}, "
                                  "{6} found only by combining the halves",
                                  counted(Graph.nodes().size(), "lock"), counted(Graph.edges().size(), "order"),
                                  N.StaticOnly, N.RuntimeOnly, N.Both, counted(Graph.cycles().size(), "cycle"),
                                  BothHalves);
    if (Graph.runtimeReportCount() > 1)
      llvm::errs() << ", " << AcrossProcesses << " only by linking processes";
    llvm::errs() << '\n';
  }
  for (const std::string &Note : Inputs->LimitNotes)
    llvm::errs() << "lockgraph merge: note: " << Note << '\n';
  for (const std::string &Failure : Inputs->Failures)
    llvm::errs() << "lockgraph merge: error: " << Failure << '\n';
  if (!Inputs->Failures.empty())
    return ExitUsageOrInputError;
  return Report.Findings.empty() ? ExitClean : ExitFindings;
}

} // namespace lockgraph
