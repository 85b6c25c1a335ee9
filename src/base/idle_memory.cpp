#include "base/idle_memory.h"

#include <atomic>

namespace lava_mcp {
namespace {

std::atomic<IdleMemoryHook> idle_memory_hook{nullptr};

}  // namespace

void set_idle_memory_hook(IdleMemoryHook hook) { idle_memory_hook.store(hook); }

void release_idle_memory() {
  if (const IdleMemoryHook hook = idle_memory_hook.load()) {
    hook();
  }
}

}  // namespace lava_mcp
