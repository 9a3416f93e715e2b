#include "ledger.h"

int main() { audit(); }
