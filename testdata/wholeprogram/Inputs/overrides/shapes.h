// An interface declared in a project header: no one file sees every
// implementation.
#include <mutex>

struct Shape {
  virtual ~Shape() = default;
  virtual int sides() const = 0;        // every override a getter
  virtual Shape *clone() const = 0;     // every override a `new` factory
  virtual void draw() = 0;              // one override locks
  virtual int area() const { return 0; } // a harmless body of its own
};

// Implemented by the program's users: no override in the program.
struct Observer {
  virtual ~Observer() = default;
  virtual void changed() = 0;
  virtual void idle() {} // a hook nobody in the program overrides
};

struct Canvas {
  std::mutex mu;
  Shape *shape = nullptr;
  Observer *observer = nullptr;
  int count_sides();
  Shape *copy();
  void paint();
  void show();
  int measure();
  int count_through_helper();
  void rest();
};
