#include "inline_cycle.h"
void use_b() { first_then_second(); }
