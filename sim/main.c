/* main: everything else is in the library, so tests link all of it.  Built with MPI=1, main
 * also starts and ends Open MPI: `ccsim sweep` spreads its points over the ranks; the other
 * commands run on rank 0 (the other ranks exit at once), with their threads. */
#include "cli.h"

#ifdef CCSIM_MPI
#include <mpi.h>
#include <string.h>
#endif

int main(int argc, char **argv)
{
#ifdef CCSIM_MPI
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int status = 0;
    if (rank == 0 || (argc > 1 && strcmp(argv[1], "sweep") == 0)) status = cli_main(argc, argv);
    MPI_Finalize();
    return status;
#else
    return cli_main(argc, argv);
#endif
}
