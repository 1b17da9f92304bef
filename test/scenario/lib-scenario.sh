# test/scenario/lib-scenario.sh - shared by test/scenario and test/scenario-slow
# (sourced after test/lib.sh): the build, the Python module's path, and run_yaml.
build_once
export PYTHONPATH=$BUILD/python DCE_RUN
EX=$BUILD/examples
Y=$SCRATCH/yaml
mkdir -p "$Y"
# run_yaml NAME FILE [OPTIONS...]: dce-run on a scenario file, into $SCRATCH/NAME
run_yaml() {
	local name=$1 file=$2
	shift 2
	OUT=$SCRATCH/$name
	rm -rf "$OUT"
	"$DCE_RUN" --out "$OUT" "$@" "$file" >"$SCRATCH/$name.log" 2>&1
	RC=$?
}
