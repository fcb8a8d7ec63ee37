import java.util.*;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.langevin.spark.*;
import org.langevin.engine.*;
import org.langevin.engine.cpu.CpuEngine;
public class SparkBench {
  public static void main(String[] a) throws Exception {
    int P = 1 << 20; int N = Integer.parseInt(a[0]);
    List<String> args = List.of("--dynamics","langevin","--loss","double-well","--particles",""+P,"--steps",""+N,"--seed","3");
    var spec = SampleJob.create(args, 1, "fused", false).spec();
    for (int rep=0; rep<2; rep++) {
      var st = InitialStates.create(spec);
      long t0=System.nanoTime();
      try (CpuEngine e = new CpuEngine(2)) { Sampler.run(ProblemCompiler.compile(spec), e, st, N, Sampler.Options.none()); }
      System.out.printf("plain CPU engine (2 threads): %.3f s%n", (System.nanoTime()-t0)*1e-9);
    }
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("b").set("spark.ui.enabled","false").set("spark.driver.host","127.0.0.1").set("spark.driver.bindAddress","127.0.0.1"))) {
      for (int k : new int[]{2, 2, 64, 256}) {
        var job = SampleJob.create(args, 1, "fused", false);
        var o = SparkSampler.run(sc, job, k);
        System.out.printf("spark local[2] K=%d: %.3f s (task work %.3f s)%n", k, o.elapsedSeconds(), o.taskSeconds());
      }
    }
  }
}
