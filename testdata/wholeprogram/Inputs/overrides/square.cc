#include "shapes.h"

struct Square : Shape {
  int sides() const override { return 4; }
  Shape *clone() const override { return new Square(*this); }
  void draw() override { drawn = true; }
  int area() const override { return side * side; }
  int side = 1;
  bool drawn = false;
};

Shape *make_square() { return new Square; }
