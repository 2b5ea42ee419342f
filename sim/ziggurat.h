/* ziggurat: unit exponential variates by Marsaglia and Tsang's ziggurat ("The ziggurat method for
 * generating random variables", J. Stat. Software 5(8), 2000), with 256 layers.  GSL samples the
 * exponential by inversion, a logarithm per draw; the ziggurat needs a table lookup and a multiply
 * in 99 % of draws, which matters because every contact draws two or three exponentials.  The
 * draws come from the stream's own 32-bit outputs, so a run stays a function of its seeds. */
#ifndef CCSIM_ZIGGURAT_H
#define CCSIM_ZIGGURAT_H

#include <gsl/gsl_rng.h>

/* Builds the tables once per process; safe to call from any thread, and cheap after the first
 * call.  dist_prepare and sim_run call it, so a draw never finds the tables empty. */
void zig_init(void);

/* The right edge of the base layer, r, and the common layer area, v, that the tables solved for;
 * exposed so the tests can hold them to the published values. */
double zig_base_edge(void);
double zig_layer_area(void);

/* One unit exponential from a stream whose outputs are 32 uniform bits (MT19937). */
double zig_exponential(gsl_rng *stream);

#endif
