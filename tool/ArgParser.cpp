#include "ArgParser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace lockgraph {

bool ParsedArgs::has(llvm::StringRef Name) const {
  return llvm::any_of(Options,
                      [&](const ParsedOption &O) { return O.Name == Name; });
}

std::optional<std::string> ParsedArgs::last(llvm::StringRef Name) const {
  std::optional<std::string> Result;
  for (const ParsedOption &O : Options)
    if (O.Name == Name)
      Result = O.Value;
  return Result;
}

std::vector<std::string> ParsedArgs::all(llvm::StringRef Name) const {
  std::vector<std::string> Result;
  for (const ParsedOption &O : Options)
    if (O.Name == Name)
      Result.push_back(O.Value);
  return Result;
}

static const OptionSpec *findSpec(llvm::ArrayRef<OptionSpec> Specs,
                                  llvm::StringRef Name) {
  for (const OptionSpec &S : Specs)
    if (S.Name == Name || (!S.Short.empty() && S.Short == Name))
      return &S;
  return nullptr;
}

static llvm::Error usageError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

llvm::Expected<ParsedArgs> parseArgs(llvm::ArrayRef<OptionSpec> Specs,
                                     llvm::ArrayRef<std::string> Args) {
  ParsedArgs Result;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "--") {
      Result.AfterDashDash.emplace(Args.begin() + I + 1, Args.end());
      break;
    }
    if (Arg.size() < 2 || Arg[0] != '-') { // "-" alone is a positional too
      Result.Positionals.push_back(Arg.str());
      continue;
    }

    llvm::StringRef Body = Arg.drop_front(Arg.starts_with("--") ? 2 : 1);
    auto [Name, InlineValue] = Body.split('=');
    bool HasInlineValue = Body.contains('=');
    const OptionSpec *Spec = findSpec(Specs, Name);
    // One-letter options also take their value glued on: -j4, -pbuild.
    if (!Spec && !Arg.starts_with("--") && Body.size() > 1) {
      const OptionSpec *Short = findSpec(Specs, Body.take_front(1));
      if (Short && Short->takesValue()) {
        Spec = Short;
        InlineValue = Body.drop_front(1);
        HasInlineValue = true;
      }
    }
    if (!Spec)
      return usageError("unknown option '" + Arg + "'");

    ParsedOption Parsed{Spec->Name, ""};
    if (Spec->takesValue()) {
      if (HasInlineValue) {
        Parsed.Value = InlineValue.str();
      } else if (I + 1 < Args.size()) {
        Parsed.Value = Args[++I];
      } else {
        return usageError("option '" + Arg + "' needs a value (" +
                          Spec->ValueName + ")");
      }
    } else if (HasInlineValue) {
      return usageError("option '" + Name + "' takes no value, got '" + Arg +
                        "'");
    }
    Result.Options.push_back(std::move(Parsed));
  }
  return Result;
}

void printOptionHelp(llvm::raw_ostream &OS, llvm::ArrayRef<OptionSpec> Specs) {
  auto Spelling = [](const OptionSpec &S) {
    bool OneLetter = S.Name.size() == 1;
    std::string Text = S.Short.empty() ? "" : "-" + S.Short.str() + ", ";
    Text += (OneLetter ? "-" : "--") + S.Name.str();
    if (S.takesValue())
      Text += (OneLetter ? " " : "=") + S.ValueName.str();
    return Text;
  };
  size_t Width = 0;
  for (const OptionSpec &S : Specs)
    Width = std::max(Width, Spelling(S).size());
  for (const OptionSpec &S : Specs) {
    std::string Left = Spelling(S);
    OS << "  " << Left << std::string(Width - Left.size() + 2, ' ');
    // Continuation lines of multi-line help align with the first line.
    llvm::SmallVector<llvm::StringRef, 4> Lines;
    S.Help.split(Lines, '\n');
    for (size_t L = 0; L < Lines.size(); ++L) {
      if (L > 0)
        OS << std::string(Width + 4, ' ');
      OS << Lines[L] << '\n';
    }
  }
}

} // namespace lockgraph
