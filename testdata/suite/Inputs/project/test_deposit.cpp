#include "ledger.h"

int main() { deposit(); }
