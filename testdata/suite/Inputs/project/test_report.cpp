#include "ledger.h"

int main() { reportTotals(); }
