# Reference for the hotspots bench (test/bench/reference-compare.ts): R spdep's version of
# Sozialatlas' hotspot analysis (analysis/hotspot-analysis.ts) on the same CSV.
#
# Steps, as our run takes them: queen contiguity (poly2nb), row-standardised weights for Moran
# and local Moran, binary weights including the area itself for Gi*, global Moran's I with 999
# permutations (moran.mc), local Moran with 999 conditional permutations (localmoran_perm), Gi*
# with 999 conditional permutations (localG_perm), FDR adjustment of the local p values.
#
#   Rscript hotspots.R <csv>     (columns: code, …, H = the analysed variable, wkt)
#
# Reading the CSV and building the polygons from WKT are not timed. Prints one JSON line:
# seconds for the weights, the statistics and in total, global I and the number of hot areas.
suppressPackageStartupMessages({
  library(sf)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(code = "character"))
g <- st_as_sf(d, wkt = "wkt", crs = 4326)
x <- d$H

t0 <- Sys.time()
nb <- poly2nb(g, queen = TRUE)
lw <- nb2listw(nb, style = "W")
lwb <- nb2listw(include.self(nb), style = "B")
t1 <- Sys.time()
glob <- moran.mc(x, lw, nsim = 999)
lisa <- localmoran_perm(x, lw, nsim = 999, iseed = 1)
gi <- localG_perm(x, lwb, nsim = 999, iseed = 1)
giz <- as.numeric(gi)
gip <- 2 * pnorm(-abs(giz))
giq <- p.adjust(gip, "fdr")
lisaq <- p.adjust(lisa[, 5], "fdr")
t2 <- Sys.time()

secs <- function(a, b) as.numeric(difftime(b, a, units = "secs"))
cat(sprintf(
  '{"n":%d,"links":%d,"seconds":%.4f,"weightsSeconds":%.4f,"statisticsSeconds":%.4f,"moranI":%.6f,"hot":%d}\n',
  length(nb), sum(card(nb)), secs(t0, t2), secs(t0, t1), secs(t1, t2), glob$statistic,
  sum(giq < 0.05 & giz > 0)
))
