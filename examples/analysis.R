# Events per month by event type, from the Parquet file `eventcode code` or `eventcode convert` writes.
#
# Usage: Rscript examples/analysis.R [examples/events.parquet] [counts.csv]
# Prints the table (one row per month, one column per event type); with a second argument, also writes it
# as CSV. Reads Parquet with nanoparquet (install.packages("nanoparquet")) or, failing that, arrow.
# event_date arrives as a Date and event_type as a factor (or text): no parsing needed.

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[[1]] else "examples/events.parquet"

if (requireNamespace("nanoparquet", quietly = TRUE)) {
  events <- as.data.frame(nanoparquet::read_parquet(path))
} else if (requireNamespace("arrow", quietly = TRUE)) {
  events <- as.data.frame(arrow::read_parquet(path))
} else {
  stop("install the nanoparquet (or arrow) package to read Parquet: install.packages(\"nanoparquet\")")
}

month <- format(as.Date(events$event_date), "%Y-%m")
event_type <- as.character(events$event_type)
counts <- table(month = month, event_type = event_type)
print(counts)

if (length(args) >= 2) {
  out <- as.data.frame.matrix(counts)
  out <- cbind(month = rownames(out), out)
  write.csv(out, args[[2]], row.names = FALSE)
}
