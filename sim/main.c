/* main: everything else is in the library, so tests link all of it. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
