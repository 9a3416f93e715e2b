#pragma once
void deposit();      // locks a, then b
void audit();        // locks b, then a
void reportTotals(); // locks a, then b, like deposit
