#include "shapes.h"

int Canvas::count_sides() {
  std::lock_guard<std::mutex> lock(mu);
  return shape->sides();
}

Shape *Canvas::copy() {
  std::lock_guard<std::mutex> lock(mu);
  return shape->clone();
}

void Canvas::paint() {
  std::lock_guard<std::mutex> lock(mu);
  shape->draw();
}

void Canvas::show() {
  std::lock_guard<std::mutex> lock(mu);
  observer->changed();
}

int Canvas::measure() {
  std::lock_guard<std::mutex> lock(mu);
  return shape->area();
}

static int sides_of(const Shape *s) { return s->sides(); }
static void draw_it(Shape *s) { s->draw(); }

int Canvas::count_through_helper() {
  std::lock_guard<std::mutex> lock(mu);
  draw_it(shape);
  return sides_of(shape);
}

void Canvas::rest() {
  std::lock_guard<std::mutex> lock(mu);
  observer->idle();
}
