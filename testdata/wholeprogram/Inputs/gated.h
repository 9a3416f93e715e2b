#pragma once
#include <mutex>
extern std::mutex gate, left, right;
void left_then_right();
void right_then_left();
