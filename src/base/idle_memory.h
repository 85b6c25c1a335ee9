// What a thread gives back once its burst of work is over. mimalloc keeps a thread's freed
// pages, and the blocks other threads freed into them, in that thread's own heap until the
// thread allocates again; a parked thread never does, so after a burst of calls every thread
// that served one would keep its share resident for as long as it stays parked (bench/README.md,
// round 7). Parked threads call release_idle_memory() once they have waited kIdleAfter.
#pragma once

#include <chrono>

namespace lava_mcp {

// Long enough that a thread between the calls of one burst keeps its warm pages (re-faulting
// them costs more than the call's own work), short enough that memory follows the load.
inline constexpr std::chrono::milliseconds kIdleAfter{100};

using IdleMemoryHook = void (*)();

// Installed by main when the allocator has something to give back (mimalloc's collect); none
// by default, so the library, its tests and the Windows build run without it.
void set_idle_memory_hook(IdleMemoryHook hook);

// Runs the hook on the calling thread, if one is installed.
void release_idle_memory();

}  // namespace lava_mcp
