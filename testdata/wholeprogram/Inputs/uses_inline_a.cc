#include "inline_cycle.h"
void use_a() { first_then_second(); second_then_first(); }
