import java.util.List;
import java.util.stream.Collectors;

public class Main {
    public static void main(String[] args) {
        List<Integer> squares = java.util.stream.IntStream.rangeClosed(1, 8)
                .map(n -> n * n).boxed().collect(Collectors.toList());
        System.out.println("squares: " + squares);
        System.out.println("sum: " + squares.stream().mapToInt(Integer::intValue).sum());
    }
}
