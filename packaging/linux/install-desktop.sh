#!/bin/sh
# Install Backstride's desktop entry, icons and AppStream metadata for one user.
#
#   packaging/linux/install-desktop.sh PREFIX EXEC
#
# PREFIX is where share/ goes (make install-desktop: $(DESTDIR)$(PREFIX), by default
# ~/.local); EXEC the absolute path of the program the menu entry starts.
set -eu

prefix=$1
exec_path=$2
here=$(cd "$(dirname "$0")" && pwd)
app_id=io.github.backstride.Backstride  # backstride.APP_ID

case $exec_path in
    /*) ;;
    *) echo "install-desktop: EXEC must be an absolute path, not '$exec_path'" >&2; exit 2 ;;
esac
case $exec_path in
    *[[:space:]\"\'\\\$\`%]*)
        echo "install-desktop: '$exec_path' has a space or a quote; move the app to a plain path" >&2
        exit 2 ;;
esac

apps=$prefix/share/applications
metainfo=$prefix/share/metainfo
icons=$prefix/share/icons/hicolor
mkdir -p "$apps" "$metainfo"

sed "s|^Exec=.*|Exec=$exec_path|" "$here/$app_id.desktop" > "$apps/$app_id.desktop.tmp"
chmod 644 "$apps/$app_id.desktop.tmp"
mv "$apps/$app_id.desktop.tmp" "$apps/$app_id.desktop"
install -m 644 "$here/$app_id.metainfo.xml" "$metainfo/$app_id.metainfo.xml"
for dir in "$here"/icons/hicolor/*/apps; do
    size=$(basename "$(dirname "$dir")")
    mkdir -p "$icons/$size/apps"
    for file in "$dir"/*; do
        install -m 644 "$file" "$icons/$size/apps/"
    done
done

# Let the menus and the icon theme notice (when the tools are there; harmless if not).
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$apps" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
    gtk-update-icon-cache -q -t "$icons" || true
fi
echo "installed $app_id into $prefix/share (starts $exec_path)"
