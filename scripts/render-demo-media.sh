#!/usr/bin/env bash
# Renders the demo generator's media into public/demo/ (the mock providers' outputs and the
# landing page's loop). The files are committed: running the app, its tests and CI need no
# ffmpeg. Re-render after changing a scene here: `bash scripts/render-demo-media.sh`
# (ffmpeg 5.1 or newer with libx264; about two minutes on two cores).
#
#   public/demo/video/<scene>-<ratio>-<seconds>s.mp4   every scene, aspect ratio and length the
#                                                      text-to-video form offers (1-10 s)
#   public/demo/image/<scene>-<size>.jpg               every scene at each text-to-image size
#   public/demo/hero.mp4, hero-poster.jpg              the landing page's loop: the scenes in turn
#
# Scenes (src/services/ai/providers/demo-scenes.ts picks one from the prompt):
#   aurora  northern lights drifting over two mountain ridges, at night
#   dunes   a desert at sunset, three ridges of dunes moving at their own pace
#   ocean   the sun on the horizon, its light glittering on the moving sea
#   bloom   soft coloured lights drifting over a dark background (abstract)
#
# How: each scene is a few still layers drawn once with `geq` (gradients, ridges, soft shapes),
# then moved with `overlay` (layers twice as wide as the frame, repeating every frame width,
# scroll sideways; light blobs move along slow curves). A 10-second master per scene and aspect
# ratio is rendered losslessly, and each length is encoded from its first N seconds, so a clip
# of N seconds is exactly N x 24 frames. H.264 (Main profile, yuv420p, faststart): Chromium,
# Chrome, Safari and Firefox play it.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=public/demo
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT/video" "$OUT/image"

FPS=24
MASTER_SECONDS=10
SCENES=(aurora dunes ocean bloom)
# Aspect ratios of the text-to-video form (src/tasks/text-to-video/limits.ts) and their frame sizes.
declare -A RATIO_SIZE=([landscape]=640x360 [portrait]=360x640 [square]=480x480)
# Sizes of the text-to-image form (src/tasks/text-to-image/limits.ts).
IMAGE_SIZES=(512 1024)
# Quality: smooth gradients compress well; CRF 30 keeps a 10-second clip around 50-90 kB.
X264=(-c:v libx264 -preset veryslow -crf 30 -profile:v main -pix_fmt yuv420p -movflags +faststart -an)

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

# layer NAME WxH PIXFMT GEQ: one still frame drawn by `geq` into $WORK/NAME.png.
layer() { ff -f lavfi -i "nullsrc=s=$2:d=1:r=1,format=$3,geq=$4" -frames:v 1 "$WORK/$1.png"; }

# still INPUT...: the inputs for a filter graph, each layer repeated for the whole master.
inputs() {
  local args=()
  for name in "$@"; do args+=(-loop 1 -framerate "$FPS" -t "$MASTER_SECONDS" -i "$WORK/$name.png"); done
  printf '%s\n' "${args[@]}"
}

# Each scene function draws its layers for a W x H frame and prints the filter graph that moves
# them (inputs in the order of its `inputs` line, which it prints first, one argument per line).

scene_aurora() {
  local W=$1 H=$2 W2=$(($1 * 2))
  local x="(X/$W)" y="(Y/$H)"
  # Night sky, lighter towards the horizon, with faint fixed stars.
  local star="lt(mod(X*7919+Y*104729\,1500)\,1)"
  layer sky "${W}x${H}" rgb24 "r='6+14*$y+50*$star':g='10+40*$y+50*$star':b='30+50*$y+60*$star'"
  # Two curtains of light: bright at the lower edge, fading upwards, green turning violet.
  local yc="(0.30+0.06*sin(2*PI*$x)+0.03*sin(6*PI*$x+1))" dy
  dy="($y-$yc)"
  local inten="(if(lt($dy\,0)\,exp(-pow($dy/0.14\,2))\,exp(-pow($dy/0.022\,2)))*pow(0.5+0.5*sin(10*PI*$x+sin(4*PI*$x))\,1.5))"
  local mix="(min(1\,max(0\,-$dy/0.16)))"
  layer aurora1 "${W2}x${H}" rgba "r='70+100*$mix':g='255-165*$mix':b='170+85*$mix':a='230*$inten'"
  local yc2="(0.22+0.05*sin(2*PI*$x+2)+0.03*sin(4*PI*$x))" dy2
  dy2="($y-$yc2)"
  local inten2="(if(lt($dy2\,0)\,exp(-pow($dy2/0.10\,2))\,exp(-pow($dy2/0.02\,2)))*pow(0.5+0.5*sin(6*PI*$x+1)\,2))"
  layer aurora2 "${W2}x${H}" rgba "r='120':g='210':b='255':a='120*$inten2'"
  # Two mountain ridges in front.
  local far="(0.68+0.05*sin(4*PI*$x+1)+0.025*sin(10*PI*$x+2))" near="(0.80+0.05*sin(2*PI*$x+4)+0.02*sin(14*PI*$x))"
  layer ridges "${W}x${H}" rgba "r='if(gt($y\,$near)\,8\,24)':g='if(gt($y\,$near)\,12\,38)':b='if(gt($y\,$near)\,22\,62)':a='255*gt($y\,$far)'"
  inputs sky aurora1 aurora2 ridges
  echo "[0][1]overlay=x='-mod(t*$W/20\,$W)':y=0[a];[a][2]overlay=x='-$W+mod(t*$W/14\,$W)':y=0[b];[b][3]overlay=0:0"
}

scene_dunes() {
  local W=$1 H=$2 W2=$(($1 * 2)) S=$(($1 < $2 ? $1 : $2))
  local x="(X/$W)" y="(Y/$H)"
  # Sunset sky: violet above, warm at the horizon, a low sun with its glow.
  local d2="(pow((X-0.66*$W)/($S*0.085)\,2)+pow((Y-0.42*$H)/($S*0.085)\,2))"
  local sun="(exp(-pow($d2\,4)))"
  local glow="(exp(-(pow((X-0.66*$W)/($S*0.9)\,2)+pow((Y-0.42*$H)/($S*0.7)\,2))))"
  layer sky "${W}x${H}" rgb24 "r='min(255\,60+190*pow($y\,0.7)+40*$glow+200*$sun)':g='min(255\,40+120*pow($y\,1.3)+50*$glow+200*$sun)':b='min(255\,110+10*$y+20*$glow+160*$sun)'"
  # Three ridges of dunes, nearer ones darker, each lit along its crest.
  local i base amp f1 p1 amp2 f2 p2 ridge lit
  local -a R=(205 165 104) G=(118 82 48) B=(100 86 68) BASE=(0.60 0.71 0.83) P1=(0.3 2.0 4.1) P2=(1.1 0.4 2.2) F2=(3 2 4)
  for i in 0 1 2; do
    ridge="(${BASE[$i]}+0.05*sin(2*PI*$x+${P1[$i]})+0.02*sin(2*PI*${F2[$i]}*$x+${P2[$i]}))"
    lit="(1+0.3*exp(-pow(($y-$ridge)/0.02\,2)))"
    layer "dune$i" "${W2}x${H}" rgba "r='min(255\,${R[$i]}*$lit)':g='min(255\,${G[$i]}*$lit)':b='min(255\,${B[$i]}*$lit)':a='255*gt($y\,$ridge)'"
  done
  inputs sky dune0 dune1 dune2
  echo "[0][1]overlay=x='-mod(t*$W/60\,$W)':y=0[a];[a][2]overlay=x='-mod(t*$W/30\,$W)':y=0[b];[b][3]overlay=x='-mod(t*$W/15\,$W)':y=0"
}

scene_ocean() {
  local W=$1 H=$2 W2=$(($1 * 2)) S=$(($1 < $2 ? $1 : $2))
  local x="(X/$W)" y="(Y/$H)" hz=0.56
  # Sky from deep blue to peach, the sun on the horizon, the sea darkening towards the viewer
  # with the sun's path on it.
  local s="(min(1\,$y/$hz))" sea="(($y-$hz)/(1-$hz))"
  local sun="(exp(-(pow((X-0.5*$W)/($S*0.11)\,2)+pow((Y-$hz*$H)/($S*0.11)\,2))))"
  local glow="(exp(-(pow((X-0.5*$W)/($S*0.45)\,2)+pow((Y-$hz*$H)/($S*0.30)\,2))))"
  local path="($glow*exp(-pow((X-0.5*$W)/($S*0.12)\,2)))"
  layer sky "${W}x${H}" rgb24 "r='if(lt($y\,$hz)\,min(255\,30+220*pow($s\,1.6)+120*$glow+200*$sun)\,10+40*(1-$sea)+90*$path)':g='if(lt($y\,$hz)\,min(255\,40+140*pow($s\,1.8)+60*$glow+190*$sun)\,40+40*(1-$sea)+50*$path)':b='if(lt($y\,$hz)\,min(255\,110+60*$s+20*$glow+120*$sun)\,90-30*$sea)'"
  # Glints on the water: thin rows, closer together towards the horizon, brightest in the sun's path.
  local z="(max(0.001\,($y-$hz)/(1-$hz)))"
  local row="(pow(max(0\,sin(2*PI*9/($z+0.12)))\,6))"
  local glint="(pow(max(0\,sin(2*PI*(3*$x+13*$y))*sin(2*PI*(7*$x-31*$y)))\,3))"
  local inpath="(0.35+0.65*exp(-pow((mod(X\,$W)-0.5*$W)/($S*0.18)\,2)))"
  layer glints "${W2}x${H}" rgba "r='255':g='220':b='180':a='if(gt($y\,$hz+0.004)\,255*$row*$glint*$inpath\,0)'"
  inputs sky glints
  echo "[0][1]overlay=x='-mod(t*$W/25\,$W)':y=0"
}

scene_bloom() {
  local W=$1 H=$2 S=$(($1 < $2 ? $1 : $2))
  local y="(Y/$H)" R=$((S * 7 / 10))
  layer bg "${W}x${H}" rgb24 "r='14+10*$y':g='10+6*$y':b='34+20*$y'"
  local blob="200*exp(-(pow(X-$R\,2)+pow(Y-$R\,2))/pow($R*0.45\,2))"
  layer blob1 "$((2 * R))x$((2 * R))" rgba "r='255':g='60':b='160':a='$blob'"
  layer blob2 "$((2 * R))x$((2 * R))" rgba "r='40':g='200':b='230':a='$blob'"
  layer blob3 "$((2 * R))x$((2 * R))" rgba "r='255':g='170':b='60':a='$blob'"
  inputs bg blob1 blob2 blob3
  echo "[0][1]overlay=x='$W*(0.35+0.2*sin(2*PI*t/10))-$R':y='$H*(0.45+0.15*cos(2*PI*t/7))-$R'[a];[a][2]overlay=x='$W*(0.62+0.18*cos(2*PI*t/9))-$R':y='$H*(0.55+0.18*sin(2*PI*t/6))-$R'[b];[b][3]overlay=x='$W*(0.5+0.25*sin(2*PI*t/8+2))-$R':y='$H*(0.5+0.2*sin(2*PI*t/11+1))-$R'"
}

# master SCENE W H FILE: the scene's 10-second master, lossless.
master() {
  local lines=() args=() graph
  mapfile -t lines < <("scene_$1" "$2" "$3")
  graph=${lines[-1]}
  args=("${lines[@]:0:${#lines[@]}-1}")
  ff "${args[@]}" -filter_complex "$graph,format=yuv420p" -c:v libx264 -preset ultrafast -qp 0 -r "$FPS" -t "$MASTER_SECONDS" "$4"
}

for scene in "${SCENES[@]}"; do
  for ratio in landscape portrait square; do
    size=${RATIO_SIZE[$ratio]}
    m="$WORK/$scene-$ratio.mkv"
    master "$scene" "${size%x*}" "${size#*x}" "$m"
    for seconds in $(seq 1 10); do
      ff -i "$m" -t "$seconds" "${X264[@]}" "$OUT/video/$scene-$ratio-${seconds}s.mp4"
    done
    echo "video: $scene $ratio"
  done
  # Images: one frame of the square scene at 1024 x 1024, and that frame scaled to 512 x 512.
  m="$WORK/$scene-image.mkv"
  master "$scene" 1024 1024 "$m"
  for px in "${IMAGE_SIZES[@]}"; do
    ff -ss 2.5 -i "$m" -frames:v 1 -vf "scale=$px:$px:flags=lanczos" -q:v 3 "$OUT/image/$scene-${px}x${px}.jpg"
  done
  echo "images: $scene"
done

# The landing page's loop (960 x 540): each scene for four seconds, one-second cross-fades, and the
# last fade goes back into the first scene's opening second, so the loop has no seam.
for scene in "${SCENES[@]}"; do master "$scene" 960 540 "$WORK/hero-$scene.mkv"; done
ff -i "$WORK/hero-aurora.mkv" -i "$WORK/hero-dunes.mkv" -i "$WORK/hero-ocean.mkv" -i "$WORK/hero-bloom.mkv" -i "$WORK/hero-aurora.mkv" \
  -filter_complex "[0]trim=1:4,setpts=PTS-STARTPTS[a];[1]trim=0:4,setpts=PTS-STARTPTS[b];[2]trim=0:4,setpts=PTS-STARTPTS[c];[3]trim=0:4,setpts=PTS-STARTPTS[d];[4]trim=0:1,setpts=PTS-STARTPTS[e];\
[a][b]xfade=transition=fade:duration=1:offset=2[ab];[ab][c]xfade=transition=fade:duration=1:offset=5[abc];[abc][d]xfade=transition=fade:duration=1:offset=8[abcd];[abcd][e]xfade=transition=fade:duration=1:offset=11,format=yuv420p" \
  -c:v libx264 -preset veryslow -crf 28 -profile:v main -pix_fmt yuv420p -movflags +faststart -an "$OUT/hero.mp4"
ff -i "$OUT/hero.mp4" -frames:v 1 -q:v 4 "$OUT/hero-poster.jpg"
echo "hero"
du -sh "$OUT" "$OUT/video" "$OUT/image"
