// A syntax error on line 4: lockgraph must name this file and the error.
#include "task.h"

int count = 1 +;

Task nothing() { co_return; }
