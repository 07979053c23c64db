/* The engine's solve of (I - P) z = c (plrnn_lib/cycles/_linalg.py: solve_affine and the
 * elimination in solve_unit_minus, with its scale taken in a loop of its own and the
 * back substitution multiplying by reciprocal pivots) written in C, for
 * benchmarks/scyfi.py: Gaussian elimination with partial pivoting, singular when a pivot
 * is at most 1e-12 max(1, max |I - P|) or the solution is not finite.  Compiled by the
 * benchmark with cc -O2 -march=native; it tells how much of the LU's time is the
 * language's.
 */
#include <math.h>

enum { MAX_N = 64 };

static int solve_block(const double *block, int n, double *out)
{
    double mat[MAX_N * MAX_N], rhs[MAX_N];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            mat[i * n + j] = -block[i * (n + 1) + j];
        mat[i * n + i] += 1.0;
        rhs[i] = block[i * (n + 1) + n];
    }
    /* the scale in its own loop, as the engine does (no chain of comparisons through the
     * build); NaN compares false and ends in the check below */
    double scale = 1.0;
    int finite = 1;
    for (int t = 0; t < n * n; t++) {
        double a = fabs(mat[t]);
        finite &= a < INFINITY;
        scale = a > scale ? a : scale;
    }
    if (!finite)
        return 0;
    double threshold = 1e-12 * scale;
    for (int col = 0; col < n; col++) {
        int piv = col;
        double best = fabs(mat[col * n + col]);
        for (int r = col + 1; r < n; r++) {
            double a = fabs(mat[r * n + col]);
            if (a > best) {
                best = a;
                piv = r;
            }
        }
        if (!(best > threshold))
            return 0;
        if (piv != col) {
            for (int j = col; j < n; j++) {
                double t = mat[col * n + j];
                mat[col * n + j] = mat[piv * n + j];
                mat[piv * n + j] = t;
            }
            double t = rhs[col];
            rhs[col] = rhs[piv];
            rhs[piv] = t;
        }
        double inv = 1.0 / mat[col * n + col];
        mat[col * n + col] = inv;   /* the back substitution multiplies by it */
        for (int r = col + 1; r < n; r++) {
            double f = mat[r * n + col] * inv;
            if (f != 0.0) {
                for (int j = col + 1; j < n; j++)
                    mat[r * n + j] -= f * mat[col * n + j];
                rhs[r] -= f * rhs[col];
            }
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = rhs[i];
        for (int j = i + 1; j < n; j++)
            s -= mat[i * n + j] * out[j];
        out[i] = s * mat[i * n + i];
        if (!isfinite(out[i]))
            return 0;
    }
    return 1;
}

/* Solve each of the count blocks [P | c] (n x (n + 1), row-major) number times; returns
 * how many solves succeeded. */
int solve_unit_minus_many(const double *blocks, int count, int n, int number)
{
    double out[MAX_N];
    int ok = 0;
    if (n > MAX_N)
        return -1;
    for (int rep = 0; rep < number; rep++)
        for (int s = 0; s < count; s++)
            ok += solve_block(blocks + (long)s * n * (n + 1), n, out);
    return ok;
}
