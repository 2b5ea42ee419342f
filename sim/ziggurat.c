/* ziggurat: the tables are solved here rather than pasted in, so their provenance is the
 * construction itself.  Layers are numbered from the base: layer 0 is the rectangle
 * [0, x[0]) x [0, f(r)) whose part beyond r = x[1] stands for the tail; layer i >= 1 is
 * [0, x[i]) x [f(x[i]), f(x[i+1])), with x[256] = 0.  All layers have the same area v. */
#include "ziggurat.h"

#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>

#define LAYERS 256

static double edge[LAYERS + 1];    /* x[i], decreasing; edge[LAYERS] = 0 */
static double height[LAYERS + 1];  /* f(x[i]) = exp(-x[i]) */
static double base_edge, layer_area;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* Stacks the layers for base edge r.  Returns the top layer's area minus v: negative when r is
 * too small (the layers overshoot the peak, or the top one is too thin), positive when too large. */
static double stack_layers(double r)
{
    double v = exp(-r) * (r + 1); /* the base rectangle r f(r) plus the tail's area f(r) */
    edge[0] = v / exp(-r);
    edge[1] = r;
    for (int i = 1; i < LAYERS - 1; i++) {
        double top = exp(-edge[i]) + v / edge[i];
        if (top >= 1) return -1;
        edge[i + 1] = -log(top);
    }
    return edge[LAYERS - 1] * (1 - exp(-edge[LAYERS - 1])) - v;
}

static void build_tables(void)
{
    double lo = 1, hi = 20;
    for (int i = 0; i < 200 && hi - lo > 0; i++) {
        double mid = (lo + hi) / 2;
        if (mid <= lo || mid >= hi) break;
        if (stack_layers(mid) < 0)
            lo = mid;
        else
            hi = mid;
    }
    base_edge = hi;
    layer_area = exp(-hi) * (hi + 1);
    stack_layers(hi);
    edge[LAYERS] = 0;
    for (int i = 0; i <= LAYERS; i++) height[i] = exp(-edge[i]);
}

void zig_init(void)
{
    if (pthread_once(&tables_once, build_tables) != 0) die("ziggurat: pthread_once failed");
}

double zig_base_edge(void)
{
    zig_init();
    return base_edge;
}

double zig_layer_area(void)
{
    zig_init();
    return layer_area;
}

double zig_exponential(gsl_rng *stream)
{
    double shift = 0;
    for (;;) {
        /* 64 bits from two outputs: the low 8 pick the layer, the top 53 place the point. */
        uint64_t bits = (uint64_t)gsl_rng_get(stream) << 32 | (uint64_t)gsl_rng_get(stream);
        unsigned i = (unsigned)(bits & (LAYERS - 1));
        double x = (double)(bits >> 11) * 0x1.0p-53 * edge[i];
        if (x < edge[i + 1]) return shift + x; /* inside the layer below: under the curve */
        if (i == 0) {
            /* The tail beyond r is r plus a unit exponential (memorylessness). */
            shift += base_edge;
            continue;
        }
        double y = height[i] + gsl_rng_uniform(stream) * (height[i + 1] - height[i]);
        if (y < exp(-x)) return shift + x;
    }
}
