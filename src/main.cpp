#include "cli.h"

int main(int argc, char** argv) { return lava_mcp::run_cli(argc, argv); }
