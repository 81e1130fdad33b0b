#!/bin/sh
# Copy the npm-installed assets the templates use into Django's static tree.
set -eu
dest="$1"
src="$(dirname "$0")/node_modules"
mkdir -p "$dest/bootstrap" "$dest/bootstrap-icons" "$dest/htmx" "$dest/echarts"
# With their source maps: the files name them, and collectstatic's hashing follows the names.
cp "$src/bootstrap/dist/css/bootstrap.min.css" "$src/bootstrap/dist/css/bootstrap.min.css.map" \
  "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$src/bootstrap/dist/js/bootstrap.bundle.min.js.map" \
  "$dest/bootstrap/"
cp -r "$src/bootstrap-icons/font/bootstrap-icons.min.css" "$src/bootstrap-icons/font/fonts" "$dest/bootstrap-icons/"
cp "$src/htmx.org/dist/htmx.min.js" "$dest/htmx/"
cp "$src/echarts/dist/echarts.min.js" "$dest/echarts/"
mkdir -p "$dest/swagger-ui"
cp "$src/swagger-ui-dist/swagger-ui-bundle.js" "$src/swagger-ui-dist/swagger-ui-bundle.js.map" \
  "$src/swagger-ui-dist/swagger-ui.css" "$src/swagger-ui-dist/swagger-ui.css.map" "$dest/swagger-ui/"
