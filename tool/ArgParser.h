//===- ArgParser.h - Subcommand option parsing ---------------------------===//
//
// A deliberately small parser instead of llvm::cl: llvm::cl keeps options in
// process-wide registries (LLVM's own options show up in --help and every
// subcommand would share one namespace) and exits with status 1 on errors,
// while lockgraph reports usage errors with status 2.
//
// Accepted spellings, so that clang-tidy habits carry over:
//   --name=value  --name value  -name=value  -name value   (long options)
//   -x value      -xvalue                                   (one-letter ones)
// and `--` ends the options: everything after it is kept verbatim.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKGRAPH_TOOL_ARGPARSER_H
#define LOCKGRAPH_TOOL_ARGPARSER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

struct OptionSpec {
  llvm::StringRef Name;      // without dashes: "checks", "jobs", "p"
  llvm::StringRef ValueName; // empty for flags that take no value
  llvm::StringRef Help;
  llvm::StringRef Short = {}; // optional one-letter alias: "j" for "jobs"
  bool takesValue() const { return !ValueName.empty(); }
};

struct ParsedOption {
  llvm::StringRef Name; // the long name, even when the alias was used
  std::string Value;
};

struct ParsedArgs {
  std::vector<ParsedOption> Options; // in command-line order
  std::vector<std::string> Positionals;
  /// Everything after `--`, or nothing when there was no `--`.
  std::optional<std::vector<std::string>> AfterDashDash;

  bool has(llvm::StringRef Name) const;
  /// The value of the last occurrence of `Name`.
  std::optional<std::string> last(llvm::StringRef Name) const;
  std::vector<std::string> all(llvm::StringRef Name) const;
};

/// Fails with a message naming the offending argument on an unknown option,
/// a missing value, or a value given to a flag.
llvm::Expected<ParsedArgs> parseArgs(llvm::ArrayRef<OptionSpec> Specs,
                                     llvm::ArrayRef<std::string> Args);

/// Writes one aligned line per option: "  --name=VALUE   help".
void printOptionHelp(llvm::raw_ostream &OS, llvm::ArrayRef<OptionSpec> Specs);

} // namespace lockgraph

#endif
